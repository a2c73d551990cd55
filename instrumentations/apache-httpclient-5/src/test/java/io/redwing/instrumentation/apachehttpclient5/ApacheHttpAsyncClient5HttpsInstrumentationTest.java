package io.redwing.instrumentation.apachehttpclient5;

import io.redwing.instrumentation.testing.HttpsClientContract;
import java.net.URI;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.io.CloseMode;

/** The HTTPS contract with the async client, which offers HTTP/2 through ALPN and gets 1.1. */
class ApacheHttpAsyncClient5HttpsInstrumentationTest extends HttpsClientContract {

  @Override
  protected int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception {
    CloseableHttpAsyncClient client =
        HttpAsyncClients.custom()
            .setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                    .setTlsStrategy(
                        ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildAsync())
                    .build())
            .build();
    client.start();
    try {
      return client.execute(SimpleRequestBuilder.get(uri).build(), null).get().getCode();
    } finally {
      client.close(CloseMode.GRACEFUL);
    }
  }
}
