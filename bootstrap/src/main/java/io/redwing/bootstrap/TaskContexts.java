package io.redwing.bootstrap;

import java.util.concurrent.CompletableFuture;

/**
 * Carries the context current when a task is handed to an executor, a fork-join pool, a
 * CompletableFuture stage or a virtual thread to the thread that runs it. The task object itself is
 * the key, held weakly: nothing wraps the task, so {@code remove}, {@code equals} and {@code
 * instanceof} of the application's tasks behave as without the agent.
 *
 * <p>When nothing is current at submission nothing is stored, and running such a task costs a check
 * that the map is empty or one lookup.
 */
public final class TaskContexts {
  private static final int MAX_PENDING_TASKS = 100_000;

  private static final WeakConcurrentMap<Object, Object> PENDING =
      new WeakConcurrentMap<>(MAX_PENDING_TASKS);

  /**
   * The token of the task a ThreadPoolExecutor worker runs, from its {@code beforeExecute} to its
   * {@code afterExecute} or, when a subclass's {@code afterExecute} does not call the executor's
   * own, to the worker's next {@code getTask}.
   */
  private static final ThreadLocal<Object> WORKER_TOKEN = new ThreadLocal<>();

  private TaskContexts() {}

  /** Forgets every captured context: recycled task objects would keep them alive. */
  static void clear() {
    PENDING.clear();
  }

  /**
   * {@code task} was handed over on this thread: remembers the current context for it, or forgets
   * an older one when nothing is current, so that a task object submitted again never runs in the
   * context of an earlier submission that did not run (rejected, removed, drained at shutdown).
   */
  public static void submitted(Object task) {
    if (task == null) {
      return;
    }
    Object context = Operations.captureContext();
    if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
      // A stage keeps the context it was created in when the thread that completes its source
      // submits it later; its objects are never submitted twice.
      if (context != null) {
        PENDING.getOrPut(task, context);
      }
    } else if (context != null) {
      PENDING.put(task, context);
    } else if (!PENDING.isEmpty()) {
      PENDING.remove(task);
    }
  }

  /** Like {@link #submitted(Object)} for a task that runs asynchronously only with an executor. */
  public static void submitted(Object task, Object executor) {
    if (executor != null) {
      submitted(task);
    }
  }

  /**
   * {@code task} starts running on this thread: makes its context current, once. Returns the token
   * for {@link #finished}, null if the task carried no context.
   */
  public static Object running(Object task) {
    if (task == null || PENDING.isEmpty()) {
      return null;
    }
    Object context = PENDING.take(task);
    return context == null ? null : Operations.attachContext(context);
  }

  /**
   * A virtual thread starts its task; attaches only when called on that thread, since the JDK
   * version decides whether the thread is mounted yet.
   */
  public static Object runningThread(Object thread) {
    return thread != Thread.currentThread() ? null : running(thread);
  }

  /** The task that {@link #running} returned {@code token} for has ended. */
  public static void finished(Object token) {
    Operations.detachContext(token);
  }

  /**
   * A ThreadPoolExecutor worker is about to run {@code task}: whatever an earlier task left current
   * is detached first, should the worker have come here without passing {@link #afterExecute}.
   */
  public static void beforeExecute(Object task) {
    afterExecute();
    Object token = running(task);
    if (token != null) {
      WORKER_TOKEN.set(token);
    }
  }

  /**
   * The worker finished the task of the last {@link #beforeExecute}, or looks for its next task; no
   * context stays behind. Called at both, since a subclass's {@code afterExecute} that does not
   * call the executor's own never reaches the first.
   */
  public static void afterExecute() {
    Object token = WORKER_TOKEN.get();
    if (token != null) {
      WORKER_TOKEN.remove();
      Operations.detachContext(token);
    }
  }

  /** Tasks submitted with a context that have not started yet; for tests. */
  public static int pending() {
    return PENDING.size();
  }
}
