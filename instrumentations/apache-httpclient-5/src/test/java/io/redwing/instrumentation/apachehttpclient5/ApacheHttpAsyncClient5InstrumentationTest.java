package io.redwing.instrumentation.apachehttpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.HttpClientContract;
import io.redwing.instrumentation.testing.HttpClientOperation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract with the async client over HTTP/1.1: the call returns a future at once, the response
 * arrives on an I/O thread and the application's FutureCallback hears of it there.
 */
class ApacheHttpAsyncClient5InstrumentationTest extends HttpClientContract {
  private final CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();

  ApacheHttpAsyncClient5InstrumentationTest() {
    super("apache-httpclient-5");
    client.start();
  }

  @Override
  protected String reportedHttp11() {
    return "HTTP/1.1";
  }

  @AfterAll
  void closeClient() {
    client.close(CloseMode.IMMEDIATE);
  }

  @Override
  protected int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client.execute(
        request(method, uri, headers, body, readTimeout),
        new FutureCallback<>() {
          @Override
          public void completed(SimpleHttpResponse response) {
            status.complete(response.getCode());
          }

          @Override
          public void failed(Exception e) {
            status.completeExceptionally(e);
          }

          @Override
          public void cancelled() {
            status.cancel(false);
          }
        });
    try {
      return status.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static SimpleHttpRequest request(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout) {
    SimpleRequestBuilder request =
        SimpleRequestBuilder.create(method)
            .setUri(uri)
            .setRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .build());
    headers.forEach(request::setHeader);
    if (body != null) {
      request.setBody(body, ContentType.APPLICATION_JSON);
    }
    return request.build();
  }

  @Test
  void endsTheOperationWithACancellationWhenTheApplicationCancelsTheFuture() throws Exception {
    Future<SimpleHttpResponse> pending =
        client.execute(request("GET", uri("/hang"), Map.of(), null, Duration.ofSeconds(20)), null);
    pending.cancel(true);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).request().url).isEqualTo(uri("/hang").toString());
    assertThat(ops.get(0).status()).isZero();
    assertThat(ops.get(0).error()).isInstanceOf(CancellationException.class);
    assertThat(pending.isCancelled()).isTrue();
  }

  @Test
  void recordsACallWhoseFutureTheApplicationWaitsOn() throws Exception {
    SimpleHttpResponse response =
        client
            .execute(
                request("GET", uri("/status/201"), Map.of(), null, Duration.ofSeconds(20)), null)
            .get();

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(response.getCode()).isEqualTo(201);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).status()).isEqualTo(201);
    assertThat(ops.get(0).startThread()).isEqualTo(Thread.currentThread().getName());
  }
}
