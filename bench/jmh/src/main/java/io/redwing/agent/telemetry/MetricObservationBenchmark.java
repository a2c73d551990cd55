package io.redwing.agent.telemetry;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One histogram observation as the dispatcher records it: the series looked up by a realistic label
 * set among the capped ones, then observed: classic buckets only (the default), or native ones as
 * well. In this package to reach the package-private series, as agent-core's tests do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricObservationBenchmark {
  private static final double[] SECONDS = {
    0.0012, 0.0034, 0.0071, 0.0123, 0.0240, 0.0467, 0.0921, 0.1830
  };

  @Param({"false", "true"})
  public boolean nativeHistograms;

  private RedMetrics metrics;
  private int next;

  @Setup
  public void setUp() {
    metrics = new RedMetrics("bench", 2000, nativeHistograms);
  }

  private double seconds() {
    return SECONDS[next++ & (SECONDS.length - 1)];
  }

  @Benchmark
  public void serverRequest() {
    metrics.serverDuration.get("GET", "200", "/owners/{id}", "http", "").observe(seconds());
  }

  @Benchmark
  public void dbStatement() {
    metrics
        .dbDuration
        .get("postgresql", "SELECT", "owners", "shop", "db.example.com", "5432", "")
        .observe(seconds());
  }
}
