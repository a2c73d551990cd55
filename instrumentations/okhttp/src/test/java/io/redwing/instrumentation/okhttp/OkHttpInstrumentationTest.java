package io.redwing.instrumentation.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.HttpClientContract;
import io.redwing.instrumentation.testing.HttpClientOperation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The contract with execute(), on one client built before the tests, as applications share it. */
class OkHttpInstrumentationTest extends HttpClientContract {
  static final OkHttpClient CLIENT = new OkHttpClient();

  OkHttpInstrumentationTest() {
    super("okhttp");
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

  @Test
  void recordsTheProtocolVersionOfTheResponse() throws Exception {
    assertThat(call("GET", uri("/ok"), Map.of(), null, Duration.ofSeconds(20))).isEqualTo(200);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).protocolVersion()).isEqualTo("http/1.1");
  }
}
