package io.redwing.instrumentation.okhttp;

import io.redwing.instrumentation.testing.HttpsClientContract;
import java.net.URI;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The HTTPS contract with execute(). */
class OkHttpHttpsInstrumentationTest extends HttpsClientContract {

  @Override
  protected int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .sslSocketFactory(sslContext.getSocketFactory(), trustManager)
            .build();
    try (Response response =
        client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
      response.body().string();
      return response.code();
    }
  }
}
