package io.redwing.instrumentation.apachehttpclient4;

import io.redwing.instrumentation.testing.HttpClientContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterAll;

/** The contract with the closeable client, one pooled client for the class. */
class ApacheHttpClient4InstrumentationTest extends HttpClientContract {
  private final CloseableHttpClient client = HttpClients.createDefault();

  ApacheHttpClient4InstrumentationTest() {
    super("apache-httpclient-4");
  }

  @Override
  protected String reportedHttp11() {
    return "HTTP/1.1";
  }

  @AfterAll
  void closeClient() throws Exception {
    client.close();
  }

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    RequestBuilder request =
        RequestBuilder.create(method)
            .setUri(uri)
            .setConfig(
                RequestConfig.custom().setSocketTimeout((int) readTimeout.toMillis()).build());
    headers.forEach(request::setHeader);
    if (body != null) {
      request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    }
    return client.execute(
        request.build(),
        response -> {
          EntityUtils.consume(response.getEntity());
          return response.getStatusLine().getStatusCode();
        });
  }
}
