package io.redwing.instrumentation.okhttp;

import io.redwing.instrumentation.testing.HttpClientContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The contract with execute(), on one client built before the tests, as applications share it. */
class OkHttpInstrumentationTest extends HttpClientContract {
  static final OkHttpClient CLIENT = new OkHttpClient();

  OkHttpInstrumentationTest() {
    super("okhttp");
  }

  @Override
  protected String reportedHttp11() {
    return "http/1.1";
  }

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    try (Response response = newCall(method, uri, headers, body, readTimeout).execute()) {
      response.body().string();
      return response.code();
    }
  }

  // RequestBody.create(MediaType, String) is the form OkHttp 3 has too; okhttp-3 runs this test.
  @SuppressWarnings("deprecation")
  static Call newCall(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout) {
    Request.Builder request =
        new Request.Builder()
            .url(uri.toString())
            .method(
                method,
                body == null ? null : RequestBody.create(MediaType.get("application/json"), body));
    headers.forEach(request::header);
    return CLIENT.newBuilder().readTimeout(readTimeout).build().newCall(request.build());
  }
}
