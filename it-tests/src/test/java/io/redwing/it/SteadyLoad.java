package io.redwing.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * GETs one URL after another from a background thread while a test changes the agent, checking
 * every answer against what the application answers without an agent.
 */
final class SteadyLoad implements AutoCloseable {
  final List<String> failures = new CopyOnWriteArrayList<>();
  final AtomicLong succeeded = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /** Request {@code i} GETs {@code url.apply(i)} and expects {@code body.apply(i)} with a 200. */
  SteadyLoad(String threadName, LongFunction<String> url, LongFunction<String> body) {
    thread =
        new Thread(
            () -> {
              for (long i = 0; running.get(); i++) {
                try {
                  HttpResponse<String> response = Http.get(url.apply(i));
                  if (response.statusCode() == 200 && response.body().equals(body.apply(i))) {
                    succeeded.incrementAndGet();
                  } else {
                    failures.add(response.statusCode() + " " + response.body());
                  }
                } catch (RuntimeException e) {
                  failures.add(e.toString());
                }
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for {@code requests} more answers. With one thread, every request after the first of them
   * started after this call.
   */
  void awaitMore(long requests) {
    long target = succeeded.get() + requests;
    Await.until(requests + " more requests", Await.EXPORT, () -> succeeded.get() >= target);
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
