package io.redwing.bench;

import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import java.util.List;
import java.util.Map;
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
 * What an HTTP client's advice costs per call once inlined: starting the operation (URL parsed,
 * credentials stripped, query redacted), taking the propagation headers the application's headers
 * lack, and ending it, with the real dispatcher behind it; the same two modes as {@link
 * ServerRequestBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientCallBenchmark {

  @Param({"metrics", "metrics+span"})
  public String record;

  /** A query with a parameter to redact, and the usual one, which the redactor only scans. */
  @Param({"?token=t&page=2", "?page=2&sort=name"})
  public String query;

  private String url;

  private final ServerRequestBenchmark installed = new ServerRequestBenchmark();
  private final Map<String, List<String>> appHeaders =
      Map.of("accept", List.of("application/json"), "x-app", List.of("1"));

  @Setup
  public void install() {
    installed.record = record;
    installed.install();
    url = "https://api.example.com:8443/v1/owners/42" + query;
  }

  @TearDown
  public void uninstall() {
    installed.uninstall();
  }

  @Benchmark
  public String[] clientCall() {
    Operation op = HttpClientCalls.startCall("java-http-client", "GET", url);
    String[] headers = HttpClientCalls.takeMissingHeaders(appHeaders);
    HttpClientCalls.callReturned(op, 200, null);
    return headers;
  }
}
