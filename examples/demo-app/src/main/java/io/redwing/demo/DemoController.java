package io.redwing.demo;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** Endpoints that show an error, a slow request and an asynchronous one. */
@RestController
class DemoController {

  static final long MAX_SLOW_MILLIS = 2_000;
  static final long ASYNC_DELAY_MILLIS = 50;

  private final AsyncCompleter asyncCompleter;

  DemoController(AsyncCompleter asyncCompleter) {
    this.asyncCompleter = asyncCompleter;
  }

  @GetMapping("/error")
  String error() {
    throw new IllegalStateException("demo failure");
  }

  @GetMapping("/slow")
  String slow(@RequestParam(name = "ms", defaultValue = "100") long millis)
      throws InterruptedException {
    long bounded = Math.max(0, Math.min(millis, MAX_SLOW_MILLIS));
    Thread.sleep(bounded);
    return "slept " + bounded + " ms\n";
  }

  @GetMapping("/async")
  DeferredResult<String> async() {
    return asyncCompleter.completeLater("async done\n", ASYNC_DELAY_MILLIS);
  }
}
