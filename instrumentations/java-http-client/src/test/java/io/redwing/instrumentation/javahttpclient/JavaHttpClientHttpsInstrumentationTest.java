package io.redwing.instrumentation.javahttpclient;

import io.redwing.instrumentation.testing.HttpsClientContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/** The HTTPS contract with send() over HTTP/1.1. */
class JavaHttpClientHttpsInstrumentationTest extends HttpsClientContract {

  @Override
  protected int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(sslContext).build();
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
