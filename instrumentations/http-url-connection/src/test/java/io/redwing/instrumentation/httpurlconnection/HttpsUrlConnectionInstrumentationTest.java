package io.redwing.instrumentation.httpurlconnection;

import io.redwing.instrumentation.testing.HttpsClientContract;
import java.io.InputStream;
import java.net.URI;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/** The HTTPS contract with HttpsURLConnection, whose work a plain HttpURLConnection does. */
class HttpsUrlConnectionInstrumentationTest extends HttpsClientContract {

  @Override
  protected int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
    connection.setSSLSocketFactory(sslContext.getSocketFactory());
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    return connection.getResponseCode();
  }
}
