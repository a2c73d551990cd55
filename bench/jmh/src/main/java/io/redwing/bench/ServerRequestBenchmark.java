package io.redwing.bench;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.redwing.agent.telemetry.LogCorrelation;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the servlet advice costs per request once inlined: building the facts, starting the
 * operation through the bootstrap bridge, the call that keeps a failed request's headers (it reads
 * nothing here: the request succeeds) and ending it, with the real dispatcher behind it. {@code
 * metrics} records the histogram observation only (tracing off, as with {@code
 * OTEL_TRACES_EXPORTER=none}); {@code metrics+span} also starts, ends and batches a sampled span;
 * {@code metrics+span+mdc} also puts the ids into the SLF4J MDC (logback's) and takes them out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerRequestBenchmark {

  @Param({"metrics", "metrics+span", "metrics+span+mdc"})
  public String record;

  private OpenTelemetrySdk sdk;
  private final Object request = new BenchRequests.BrowserRequest();

  @Setup
  public void install() {
    OpenTelemetry openTelemetry = OpenTelemetry.noop();
    if (record.contains("span")) {
      sdk = discardingSdk();
      openTelemetry = sdk;
    }
    RedMetrics metrics = new RedMetrics("bench", 2000);
    OperationDispatcher dispatcher =
        new OperationDispatcher(metrics, openTelemetry, "bench", Set.of("token"), true);
    if (record.endsWith("mdc")) {
      dispatcher.correlateLogs(new LogCorrelation());
    }
    Operations.install(dispatcher);
  }

  @TearDown
  public void uninstall() {
    Operations.uninstall();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public Operation serverRequest() {
    // as the advice does: with the default W3C propagators this reads nothing
    Operation op =
        Operations.startHttpServer(
            BenchRequests.owner(
                Operations.inboundPropagation(request, BenchRequests.HeaderApi.class)));
    Operations.failedServletRequest(op, request, BenchRequests.HeaderApi.class, null);
    Operations.endHttpServer(op, 200, "/owners/{id}", null);
    return op;
  }

  /** An SDK that samples every span and batches it to {@link DiscardingExporter}. */
  static OpenTelemetrySdk discardingSdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(new DiscardingExporter()).build())
                .build())
        .build();
  }

  /** Exports nowhere, so the benchmark measures recording rather than the network. */
  static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
