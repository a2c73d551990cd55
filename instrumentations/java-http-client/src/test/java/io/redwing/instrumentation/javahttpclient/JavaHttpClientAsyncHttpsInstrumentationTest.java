package io.redwing.instrumentation.javahttpclient;

import io.redwing.instrumentation.testing.HttpsClientContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTPS contract with sendAsync() on a client that prefers HTTP/2: it offers h2 through ALPN
 * and the test server, which knows only HTTP/1.1, declines.
 */
class JavaHttpClientAsyncHttpsInstrumentationTest extends HttpsClientContract {

  @Override
  protected int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(sslContext).build();
    return client
        .sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .get()
        .statusCode();
  }
}
