package io.redwing.instrumentation.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.bootstrap.TaskContexts;
import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A context current when work is handed to another thread is current where the work runs, so the
 * operations it reports are children of it; and it is gone when the work ends.
 */
class ExecutorContextTest {
  @RegisterExtension static final InstrumentationExtension testing = new InstrumentationExtension();

  private static final String SPAN = "server-span";

  private final ExecutorService single = Executors.newSingleThreadExecutor();
  private final ExecutorService fixed = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);
  private final ForkJoinPool forkJoin = new ForkJoinPool(2);

  @AfterEach
  void shutDown() throws InterruptedException {
    for (ExecutorService pool : List.of(single, fixed, scheduled, forkJoin)) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** What a task does: a database call, reported as the JDBC advice would report it. */
  static String query(String name) {
    Operation op =
        Operations.startDbClient(
            new DbClientRequest("test", "h2", "test", null, 0, "SELECT", name, 0));
    Operations.endDbClient(op, null);
    return name;
  }

  /** Keeps the pool's only thread busy until the returned latch is counted down. */
  private static CountDownLatch occupy(ExecutorService pool) {
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return release;
  }

  private static Object parentOf(String name) {
    List<DbClientOperation> matching =
        testing.dbClientOperations().stream()
            .filter(op -> name.equals(op.request().queryText))
            .toList();
    assertThat(matching).as("operations named " + name).hasSize(1);
    return matching.get(0).parentContext();
  }

  @Test
  void executeRunsTheTaskInTheSubmittersContext() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (var span = testing.makeCurrent(SPAN)) {
      fixed.execute(
          () -> {
            query("execute");
            done.countDown();
          });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(parentOf("execute")).isEqualTo(SPAN);
  }

  @Test
  void submitAndInvokeAllRunEachTaskInTheSubmittersContext() throws Exception {
    Future<String> submitted;
    List<Future<String>> all;
    try (var span = testing.makeCurrent(SPAN)) {
      submitted = fixed.submit(() -> query("submit"));
      all = fixed.invokeAll(List.<Callable<String>>of(() -> query("all-1"), () -> query("all-2")));
    }
    assertThat(submitted.get(10, TimeUnit.SECONDS)).isEqualTo("submit");
    for (Future<String> f : all) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(parentOf("submit")).isEqualTo(SPAN);
    assertThat(parentOf("all-1")).isEqualTo(SPAN);
    assertThat(parentOf("all-2")).isEqualTo(SPAN);
  }

  @Test
  void thePoolThreadRunsTheNextTaskWithoutTheContext() throws Exception {
    Future<String> first;
    try (var span = testing.makeCurrent(SPAN)) {
      first = single.submit(() -> query("first"));
    }
    first.get(10, TimeUnit.SECONDS);
    Callable<Object> look = Operations::captureContext;
    Future<Object> seen = single.submit(look);
    single.submit(() -> query("next")).get(10, TimeUnit.SECONDS);

    assertThat(parentOf("first")).isEqualTo(SPAN);
    assertThat(seen.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(parentOf("next")).isNull();
  }

  /**
   * An application's pool that only logs after a task, without calling {@code super.afterExecute}
   * (which its javadoc asks for, and many skip); and notes what is current on its worker before the
   * next task's {@code beforeExecute} reaches the executor's own.
   */
  static final class LoggingPool extends ThreadPoolExecutor {
    final List<Object> currentBetweenTasks = new CopyOnWriteArrayList<>();

    LoggingPool() {
      super(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    protected void beforeExecute(Thread worker, Runnable task) {
      currentBetweenTasks.add(String.valueOf(Operations.captureContext()));
      super.beforeExecute(worker, task);
    }

    @Override
    protected void afterExecute(Runnable task, Throwable error) {
      // logs, and never calls super
    }
  }

  @Test
  void aPoolWhoseAfterExecuteSkipsSuperRunsTheNextTaskWithoutTheContext() throws Exception {
    LoggingPool pool = new LoggingPool();
    try {
      Future<String> first;
      try (var span = testing.makeCurrent(SPAN)) {
        first = pool.submit(() -> query("first"));
      }
      first.get(10, TimeUnit.SECONDS);
      // submitted from a thread on which nothing is current, to the same worker
      Future<Object> seen = pool.submit((Callable<Object>) Operations::captureContext);
      pool.submit(() -> query("next")).get(10, TimeUnit.SECONDS);

      assertThat(parentOf("first")).isEqualTo(SPAN);
      assertThat(seen.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(parentOf("next")).isNull();
      // nor does the idle worker keep it while it waits for the next task
      assertThat(pool.currentBetweenTasks).containsExactly("null", "null", "null");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWorkerStartingATaskDropsWhatAnEarlierTaskLeftCurrent() throws Exception {
    Runnable first = () -> {};
    Runnable second = () -> {};
    try (var span = testing.makeCurrent(SPAN)) {
      TaskContexts.submitted(first);
    }
    TaskContexts.submitted(second);
    List<Object> current = new CopyOnWriteArrayList<>();
    // a worker whose afterExecute never reached the executor's own: two beforeExecutes in a row
    Thread worker =
        new Thread(
            () -> {
              TaskContexts.beforeExecute(first);
              current.add(String.valueOf(Operations.captureContext()));
              TaskContexts.beforeExecute(second);
              current.add(String.valueOf(Operations.captureContext()));
              TaskContexts.afterExecute();
              current.add(String.valueOf(Operations.captureContext()));
            });
    worker.start();
    worker.join(10_000);

    assertThat(current).containsExactly(SPAN, "null", "null");
  }

  @Test
  void eachTaskGetsItsOwnSubmittersContext() throws Exception {
    CountDownLatch release = occupy(single);
    // both queue behind the blocker, so they run back to back on the same thread
    Future<String> a;
    Future<String> b;
    try (var span = testing.makeCurrent("span-a")) {
      a = single.submit(() -> query("a"));
    }
    try (var span = testing.makeCurrent("span-b")) {
      b = single.submit(() -> query("b"));
    }
    Future<String> none = single.submit(() -> query("none"));
    release.countDown();
    none.get(10, TimeUnit.SECONDS);
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);

    assertThat(parentOf("a")).isEqualTo("span-a");
    assertThat(parentOf("b")).isEqualTo("span-b");
    assertThat(parentOf("none")).isNull();
  }

  @Test
  void aTaskCanStillBeRemovedFromTheQueue() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    try {
      CountDownLatch release = occupy(pool);
      Runnable task = () -> query("removed");
      try (var span = testing.makeCurrent(SPAN)) {
        pool.execute(task);
      }
      // nothing wrapped the task: the executor finds it by identity
      assertThat(pool.remove(task)).isTrue();
      release.countDown();
      pool.submit(() -> query("after")).get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(testing.dbClientOperations())
        .extracting(op -> op.request().queryText)
        .containsExactly("after");
  }

  @Test
  void aTaskObjectSubmittedAgainWithoutAContextDoesNotRunInTheOldOne() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    try {
      CountDownLatch release = occupy(pool);
      CountDownLatch ran = new CountDownLatch(1);
      Runnable task =
          () -> {
            query("reused");
            ran.countDown();
          };
      try (var span = testing.makeCurrent(SPAN)) {
        pool.execute(task);
      }
      assertThat(pool.remove(task)).isTrue();
      release.countDown();
      // the same object again, with nothing current: it must not find the removed run's context
      pool.execute(task);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(testing.dbClientOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.parentContext()).isNull());
  }

  @Test
  void scheduledTasksRunInTheSchedulersContextEveryTime() throws Exception {
    CountDownLatch threeRuns = new CountDownLatch(3);
    ScheduledFuture<String> once;
    ScheduledFuture<?> periodic;
    try (var span = testing.makeCurrent(SPAN)) {
      once = scheduled.schedule(() -> query("once"), 1, TimeUnit.MILLISECONDS);
      periodic =
          scheduled.scheduleAtFixedRate(
              () -> {
                if (threeRuns.getCount() > 0) {
                  query("tick-" + threeRuns.getCount());
                  threeRuns.countDown();
                }
              },
              0,
              1,
              TimeUnit.MILLISECONDS);
    }
    assertThat(once.get(10, TimeUnit.SECONDS)).isEqualTo("once");
    assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
    periodic.cancel(false);
    scheduled.schedule(() -> query("unscoped"), 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);

    assertThat(parentOf("once")).isEqualTo(SPAN);
    assertThat(parentOf("tick-3")).isEqualTo(SPAN);
    assertThat(parentOf("tick-2")).isEqualTo(SPAN);
    assertThat(parentOf("tick-1")).isEqualTo(SPAN);
    assertThat(parentOf("unscoped")).isNull();
  }

  @Test
  void forkJoinSubmissionsAndForksRunInTheirContext() throws Exception {
    CountDownLatch forkedRan = new CountDownLatch(1);
    Future<String> submitted;
    try (var span = testing.makeCurrent(SPAN)) {
      submitted = forkJoin.submit(() -> query("fj-submit"));
      forkJoin.execute(
          new RecursiveAction() {
            @Override
            protected void compute() {
              query("fj-parent");
              new RecursiveAction() {
                @Override
                protected void compute() {
                  query("fj-forked");
                  forkedRan.countDown();
                }
              }.fork();
              // not joined: with the parent blocked, another worker has to steal the fork
              try {
                forkedRan.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
    }
    assertThat(submitted.get(10, TimeUnit.SECONDS)).isEqualTo("fj-submit");
    assertThat(forkedRan.await(10, TimeUnit.SECONDS)).isTrue();
    forkJoin.submit(() -> query("fj-unscoped")).get(10, TimeUnit.SECONDS);

    assertThat(parentOf("fj-submit")).isEqualTo(SPAN);
    assertThat(parentOf("fj-parent")).isEqualTo(SPAN);
    assertThat(parentOf("fj-forked")).isEqualTo(SPAN);
    assertThat(parentOf("fj-unscoped")).isNull();
  }

  @Test
  void parallelStreamElementsRunInTheCallersContext() throws Exception {
    List<String> names;
    try (var span = testing.makeCurrent(SPAN)) {
      names =
          forkJoin
              .submit(
                  () ->
                      IntStream.range(0, 200)
                          .parallel()
                          .mapToObj(i -> query("element-" + i))
                          .collect(Collectors.toList()))
              .get(10, TimeUnit.SECONDS);
    }
    assertThat(names).hasSize(200);
    assertThat(testing.dbClientOperations())
        .hasSize(200)
        .allSatisfy(op -> assertThat(op.parentContext()).isEqualTo(SPAN));
  }

  @Test
  void supplyAsyncRunsInTheCallersContext() throws Exception {
    CompletableFuture<String> onDefault;
    CompletableFuture<String> onPool;
    try (var span = testing.makeCurrent(SPAN)) {
      onDefault = CompletableFuture.supplyAsync(() -> query("default-executor"));
      onPool = CompletableFuture.supplyAsync(() -> query("pool"), fixed);
    }
    onDefault.get(10, TimeUnit.SECONDS);
    onPool.get(10, TimeUnit.SECONDS);
    CompletableFuture.supplyAsync(() -> query("unscoped")).get(10, TimeUnit.SECONDS);

    assertThat(parentOf("default-executor")).isEqualTo(SPAN);
    assertThat(parentOf("pool")).isEqualTo(SPAN);
    assertThat(parentOf("unscoped")).isNull();
  }

  @Test
  void anAsyncStageRunsInTheContextItWasCreatedIn() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> onDefault;
    CompletableFuture<String> onPool;
    try (var span = testing.makeCurrent(SPAN)) {
      onDefault = source.thenApplyAsync(v -> query("then-default"));
      onPool = source.thenApplyAsync(v -> query("then-pool"), fixed);
    }
    // completed by a thread on which nothing is current
    single.submit(() -> source.complete("value")).get(10, TimeUnit.SECONDS);
    onDefault.get(10, TimeUnit.SECONDS);
    onPool.get(10, TimeUnit.SECONDS);

    assertThat(parentOf("then-default")).isEqualTo(SPAN);
    assertThat(parentOf("then-pool")).isEqualTo(SPAN);
  }

  @Test
  void nothingIsRememberedForTasksSubmittedWithoutAContext() throws Exception {
    int before = TaskContexts.pending();
    fixed.submit(() -> query("plain")).get(10, TimeUnit.SECONDS);
    CompletableFuture.supplyAsync(() -> query("plain-async")).get(10, TimeUnit.SECONDS);

    // purging collected keys may only lower the count
    assertThat(TaskContexts.pending()).isLessThanOrEqualTo(before);
    assertThat(parentOf("plain")).isNull();
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aVirtualThreadRunsInTheContextItWasStartedIn() throws Exception {
    // compiled for 17: the JDK 21 API is reached by reflection
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
    ExecutorService perTask =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      Thread started;
      Future<String> submitted;
      try (var span = testing.makeCurrent(SPAN)) {
        started = (Thread) start.invoke(builder, (Runnable) () -> query("virtual"));
        submitted = perTask.submit(() -> query("virtual-executor"));
      }
      started.join(10_000);
      assertThat(started.isAlive()).isFalse();
      submitted.get(10, TimeUnit.SECONDS);
      perTask.submit(() -> query("virtual-unscoped")).get(10, TimeUnit.SECONDS);
    } finally {
      perTask.shutdownNow();
    }

    assertThat(parentOf("virtual")).isEqualTo(SPAN);
    assertThat(parentOf("virtual-executor")).isEqualTo(SPAN);
    assertThat(parentOf("virtual-unscoped")).isNull();
  }

  @Test
  void adviceFollowsTheRulesAndOnlyTheJdksTaskClassesAreTransformed() throws Exception {
    CompletableFuture.supplyAsync(() -> "loads the async task classes").get(10, TimeUnit.SECONDS);
    assertThat(testing.instrumentations())
        .filteredOn(i -> i.name().equals("executors"))
        .hasSize(3)
        .allSatisfy(AdviceRules::check);
    assertThat(testing.transformedTypes())
        .contains(
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool$WorkQueue",
            "java.util.concurrent.ForkJoinTask",
            "java.util.concurrent.CompletableFuture$UniCompletion",
            "java.util.concurrent.CompletableFuture$Completion",
            "java.util.concurrent.CompletableFuture$AsyncSupply")
        .allSatisfy(type -> assertThat(type).startsWith("java."));
  }
}
