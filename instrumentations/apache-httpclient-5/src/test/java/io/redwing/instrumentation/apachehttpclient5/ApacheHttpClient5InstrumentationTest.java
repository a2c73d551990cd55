package io.redwing.instrumentation.apachehttpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.HttpClientContract;
import io.redwing.instrumentation.testing.HttpClientOperation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The contract with the classic client, one pooled client for the class, as applications have. */
class ApacheHttpClient5InstrumentationTest extends HttpClientContract {
  private final CloseableHttpClient client = HttpClients.createDefault();

  ApacheHttpClient5InstrumentationTest() {
    super("apache-httpclient-5");
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
    HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
    request.setConfig(
        RequestConfig.custom()
            .setResponseTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .build());
    headers.forEach(request::setHeader);
    if (body != null) {
      request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    }
    return client.execute(
        request,
        response -> {
          EntityUtils.consume(response.getEntity());
          return response.getCode();
        });
  }

  @Test
  void recordsTheWholeUrlWhenTheCallerLeavesTheTargetToTheRequest() throws Exception {
    // Spring's HttpComponentsClientHttpRequestFactory calls the client this way.
    try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(uri("/ok")), null)) {
      EntityUtils.consume(response.getEntity());
      assertThat(response.getCode()).isEqualTo(200);
    }

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).request().url).isEqualTo(uri("/ok").toString());
    assertThat(ops.get(0).protocolVersion()).isEqualTo("HTTP/1.1");
  }
}
