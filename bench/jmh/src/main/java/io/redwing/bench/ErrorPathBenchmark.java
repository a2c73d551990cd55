package io.redwing.bench;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.errors.ErrorReporter;
import io.redwing.agent.errors.SentrySettings;
import io.redwing.agent.telemetry.LogCorrelation;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import java.util.Map;
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
 * The record path of a request that ends with an exception ({@code redwing_exceptions_total}, and
 * with {@code sentry} the request history and the event budget; a repeated identical error is
 * deduplicated, as in steady state), and of putting the ids into Logback's MDC per request. The
 * exception is made once: creating it is the application's cost, not the agent's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ErrorPathBenchmark {

  @Param({"none", "sentry"})
  public String errors;

  @Param({"off", "mdc"})
  public String logs;

  private OpenTelemetrySdk sdk;
  private final IllegalStateException failure = new IllegalStateException("bench");
  private final Object request = new BenchRequests.BrowserRequest();

  @Setup
  public void install() {
    RedMetrics metrics = new RedMetrics("bench", 2000);
    // sampled spans that go nowhere: the MDC needs valid ids, the network is not measured
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
    OperationDispatcher dispatcher =
        new OperationDispatcher(metrics, sdk, "bench", Set.of("token"), true);
    if (errors.equals("sentry")) {
      // a closed port: the one event the budget admits fails to send, off this thread
      ConfigSources sources =
          ConfigSources.merge(
              null, Map.of("sentry.dsn", "http://key@127.0.0.1:9/1"), Map.of(), line -> {});
      dispatcher.reportErrorsTo(
          ErrorReporter.start(SentrySettings.from(sources, line -> {}), "bench", "bench"));
    }
    if (logs.equals("mdc")) {
      dispatcher.correlateLogs(new LogCorrelation());
    }
    Operations.install(dispatcher);
  }

  @TearDown
  public void uninstall() {
    Operations.uninstall();
    sdk.close();
  }

  private static Operation start() {
    return Operations.startHttpServer(BenchRequests.owner());
  }

  @Benchmark
  public Operation requestThatThrows() {
    Operation op = start();
    Operations.failedServletRequest(op, request, BenchRequests.HeaderApi.class, failure);
    Operations.endHttpServer(op, 500, "/owners/{id}", failure);
    return op;
  }

  @Benchmark
  public Operation requestThatSucceeds() {
    Operation op = start();
    Operations.failedServletRequest(op, request, BenchRequests.HeaderApi.class, null);
    Operations.endHttpServer(op, 200, "/owners/{id}", null);
    return op;
  }
}
