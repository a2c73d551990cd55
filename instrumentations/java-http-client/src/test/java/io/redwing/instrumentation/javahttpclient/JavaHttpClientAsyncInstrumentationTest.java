package io.redwing.instrumentation.javahttpclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The contract with sendAsync(), whose operation ends when the future completes, on a client that
 * prefers HTTP/2 (over plain HTTP it offers an h2c upgrade, which the test server declines).
 */
class JavaHttpClientAsyncInstrumentationTest extends JavaHttpClientInstrumentationTest {
  private static final HttpClient HTTP2_CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_2)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    try {
      return HTTP2_CLIENT
          .sendAsync(
              request(method, uri, headers, body, readTimeout),
              HttpResponse.BodyHandlers.ofString())
          .get()
          .statusCode();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
