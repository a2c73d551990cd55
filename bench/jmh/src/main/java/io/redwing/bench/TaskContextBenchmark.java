package io.redwing.bench;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.Operations;
import io.redwing.bootstrap.TaskContexts;
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
 * What the executor advice adds to one task, submitted and run: taking the context at submission,
 * making it current around the run and restoring the previous one, with the real dispatcher behind
 * the bridge. {@code none}: nothing current at submission (the common case, which should allocate
 * nothing); {@code pending}: the same while another task, submitted under a span, waits to run (so
 * every task is looked up, as in a server whose requests hand work to executors); {@code span}: a
 * sampled span current. Both sides run on one thread here, so the figure is the agent's cost
 * without the executor's own hand-off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaskContextBenchmark {

  @Param({"none", "pending", "span"})
  public String current;

  private final Runnable task = () -> {};
  private final Runnable waiting = () -> {};
  private io.opentelemetry.context.Scope scope;

  @Setup
  @SuppressWarnings("MustBeClosedChecker") // closed in uninstall(), on this benchmark thread
  public void install() {
    Operations.install(
        new OperationDispatcher(
            new RedMetrics("bench", 2000), OpenTelemetry.noop(), "bench", Set.of(), false));
    if (!current.equals("none")) {
      SpanContext span =
          SpanContext.create(
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "00f067aa0ba902b7",
              TraceFlags.getSampled(),
              TraceState.getDefault());
      scope = Context.root().with(Span.wrap(span)).makeCurrent();
    }
    if (current.equals("pending")) {
      TaskContexts.submitted(waiting);
      scope.close();
      scope = null;
    }
  }

  @TearDown
  public void uninstall() {
    if (scope != null) {
      scope.close();
    }
    Operations.uninstall();
  }

  @Benchmark
  public void submitAndRun() {
    TaskContexts.submitted(task);
    Object token = TaskContexts.running(task);
    task.run();
    TaskContexts.finished(token);
  }

  /**
   * The same through a ThreadPoolExecutor worker's hooks: its {@code getTask} (which detaches what
   * a task whose pool skipped the executor's {@code afterExecute} left current), {@code
   * beforeExecute} and {@code afterExecute}.
   */
  @Benchmark
  public void submitAndRunInAPoolWorker() {
    TaskContexts.submitted(task);
    TaskContexts.afterExecute();
    TaskContexts.beforeExecute(task);
    task.run();
    TaskContexts.afterExecute();
  }
}
