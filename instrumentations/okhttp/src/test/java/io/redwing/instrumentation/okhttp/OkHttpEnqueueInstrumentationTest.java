package io.redwing.instrumentation.okhttp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/** The contract with enqueue(): the call runs and ends on OkHttp's dispatcher thread. */
class OkHttpEnqueueInstrumentationTest extends OkHttpInstrumentationTest {

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    newCall(method, uri, headers, body, readTimeout)
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                  response.body().string();
                  status.complete(response.code());
                }
              }

              @Override
              public void onFailure(Call call, IOException e) {
                status.completeExceptionally(e);
              }
            });
    try {
      return status.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
