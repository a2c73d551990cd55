package io.redwing.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the agent's threads recognisable in a thread dump: all of them are daemons named {@code
 * redwing-*}, including those the libraries start with names of their own.
 */
public final class AgentThreads {
  static final String PREFIX = "redwing-";

  /** The name the Sentry SDK gives its sender threads ({@code AsyncHttpTransport}). */
  static final String SENTRY_SENDER = "SentryAsyncConnection-";

  /** Every thread the init thread starts inherits this group, which is how they are found. */
  static final ThreadGroup GROUP = new ThreadGroup("redwing");

  private AgentThreads() {}

  public static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(GROUP, runnable, PREFIX + name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * True on a thread the agent started, or a library started from one (such as the exporter's), or
   * on the Sentry SDK's sender: it creates its thread on the first event, from whichever request
   * thread reported it, so the group cannot tell.
   */
  public static boolean isAgentThread() {
    Thread current = Thread.currentThread();
    return current.getThreadGroup() == GROUP || current.getName().startsWith(SENTRY_SENDER);
  }

  public static ExecutorService fixedPool(String name, int threads) {
    return Executors.newFixedThreadPool(threads, daemons(name));
  }

  /**
   * Prefixes the threads that libraries (the span processor, the JDK HTTP client, the HTTP server's
   * dispatcher) started from the agent's threads with names we cannot configure.
   */
  public static void claimLibraryThreads() {
    Thread[] threads = new Thread[GROUP.activeCount() + 16];
    int n = GROUP.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (!t.getName().startsWith(PREFIX)) {
        try {
          t.setName(PREFIX + t.getName());
        } catch (SecurityException ignored) {
          // a security manager may forbid it; the name is cosmetic
        }
      }
    }
  }
}
