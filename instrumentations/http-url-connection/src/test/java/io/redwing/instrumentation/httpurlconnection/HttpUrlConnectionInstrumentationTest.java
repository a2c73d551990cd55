package io.redwing.instrumentation.httpurlconnection;

import io.redwing.instrumentation.testing.HttpClientContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

class HttpUrlConnectionInstrumentationTest extends HttpClientContract {

  HttpUrlConnectionInstrumentationTest() {
    super("http-url-connection");
  }

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setReadTimeout((int) readTimeout.toMillis());
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      // The usual order: the status first, then the body or the error body.
      int status = connection.getResponseCode();
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return status;
    } finally {
      connection.disconnect();
    }
  }
}
