package io.redwing.instrumentation.apachehttpclient4;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.testing.HttpClientContract;
import io.redwing.instrumentation.testing.HttpClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension.ContextScope;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract with HttpAsyncClient 4.1: the call returns a future at once, the response arrives on
 * an I/O thread and the application's FutureCallback hears of it there.
 */
class ApacheHttpAsyncClient4InstrumentationTest extends HttpClientContract {
  private final CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();

  ApacheHttpAsyncClient4InstrumentationTest() {
    super("apache-httpclient-4");
    client.start();
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
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client.execute(request(method, uri, headers, body, readTimeout), callback(status, r -> {}));
    try {
      return status.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static HttpUriRequest request(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout) {
    RequestBuilder request =
        RequestBuilder.create(method)
            .setUri(uri)
            .setConfig(
                RequestConfig.custom().setSocketTimeout((int) readTimeout.toMillis()).build());
    headers.forEach(request::setHeader);
    if (body != null) {
      request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    }
    return request.build();
  }

  private static FutureCallback<HttpResponse> callback(
      CompletableFuture<Integer> status, java.util.function.Consumer<HttpResponse> also) {
    return new FutureCallback<>() {
      @Override
      public void completed(HttpResponse response) {
        also.accept(response);
        status.complete(response.getStatusLine().getStatusCode());
      }

      @Override
      public void failed(Exception e) {
        status.completeExceptionally(e);
      }

      @Override
      public void cancelled() {
        status.cancel(false);
      }
    };
  }

  @Test
  void recordsACallWhoseFutureTheApplicationWaitsOn() throws Exception {
    HttpResponse response =
        client.execute(request("GET", uri("/status/201"), Map.of(), null, timeout()), null).get();

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(response.getStatusLine().getStatusCode()).isEqualTo(201);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).status()).isEqualTo(201);
    assertThat(ops.get(0).protocolVersion()).isEqualTo("HTTP/1.1");
    assertThat(ops.get(0).startThread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void endsTheOperationWithACancellationWhenTheApplicationCancelsTheFuture() throws Exception {
    Future<HttpResponse> pending =
        client.execute(request("GET", uri("/hang"), Map.of(), null, timeout()), null);
    pending.cancel(true);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).request().url).isEqualTo(uri("/hang").toString());
    assertThat(ops.get(0).status()).isZero();
    assertThat(ops.get(0).error()).isInstanceOf(CancellationException.class);
    assertThat(pending.isCancelled()).isTrue();
  }

  @Test
  void runsTheCallbackInTheCallersContextOnTheIoThread() throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    CompletableFuture<Object> seen = new CompletableFuture<>();
    CompletableFuture<String> thread = new CompletableFuture<>();
    Object caller = "the caller's span";
    try (ContextScope scope = agent.makeCurrent(caller)) {
      client.execute(
          request("GET", uri("/ok"), Map.of(), null, timeout()),
          callback(
              status,
              r -> {
                seen.complete(Operations.captureContext());
                thread.complete(Thread.currentThread().getName());
              }));
    }

    assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(seen.get()).isSameAs(caller);
    assertThat(thread.get()).isNotEqualTo(Thread.currentThread().getName());
    assertThat(agent.awaitHttpClientOperations(1)).hasSize(1);
  }

  private static Duration timeout() {
    return Duration.ofSeconds(20);
  }
}
