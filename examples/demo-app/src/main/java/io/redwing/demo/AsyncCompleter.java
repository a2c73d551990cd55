package io.redwing.demo;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.web.context.request.async.DeferredResult;

/** Completes deferred results on its own thread, as a message listener or callback would. */
final class AsyncCompleter {

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "demo-async-completer");
            thread.setDaemon(true);
            return thread;
          });

  <T> DeferredResult<T> completeLater(T value, long delayMillis) {
    DeferredResult<T> result = new DeferredResult<>();
    var unused =
        executor.schedule(() -> result.setResult(value), delayMillis, TimeUnit.MILLISECONDS);
    return result;
  }

  void shutdownNow() {
    executor.shutdownNow();
  }
}
