package io.redwing.bench;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
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
 * What a traced method's advice costs per call once inlined: starting the operation (the method
 * resolved from its per-class cache, a span made current) and ending it (observation, span ended),
 * with the real dispatcher behind it; the same two modes as {@link ServerRequestBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MethodCallBenchmark {

  @Param({"metrics", "metrics+span"})
  public String record;

  private final ServerRequestBenchmark installed = new ServerRequestBenchmark();

  @Setup
  public void install() {
    installed.record = record;
    installed.install();
  }

  @TearDown
  public void uninstall() {
    installed.uninstall();
  }

  @Benchmark
  public Operation listedMethod() {
    Operation op = Operations.startMethod(MethodCallBenchmark.class, "listedMethod");
    Operations.endMethod(op, null, "result");
    return op;
  }

  @Benchmark
  public Operation annotatedMethod() {
    Operation op =
        Operations.startAnnotatedMethod(
            MethodCallBenchmark.class,
            "annotatedMethod",
            "()Lio/redwing/bootstrap/Operation;",
            null);
    Operations.endMethod(op, null, null);
    return op;
  }
}
