package io.redwing.instrumentation.javahttpclient;

import io.redwing.instrumentation.testing.HttpClientContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The contract with send(), on a client built once for the whole class, over HTTP/1.1. */
class JavaHttpClientInstrumentationTest extends HttpClientContract {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  JavaHttpClientInstrumentationTest() {
    super("java-http-client");
  }

  @Override
  protected String reportedHttp11() {
    return "HTTP_1_1";
  }

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    return CLIENT
        .send(
            request(method, uri, headers, body, readTimeout), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  static HttpRequest request(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(readTimeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return builder.build();
  }
}
