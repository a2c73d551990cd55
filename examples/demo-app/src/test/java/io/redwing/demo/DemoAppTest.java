package io.redwing.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoAppTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Tomcat tomcat;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    tomcat = DemoApp.start(port);
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void servesOwnersByIdThroughSpringMvc() throws Exception {
    HttpResponse<String> response = get("/owners/17");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":17,\"name\":\"Owner 17\"}");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
  }

  @Test
  void answersUnknownOwnersWith404() throws Exception {
    assertThat(get("/owners/" + (OwnerStore.SEEDED_OWNERS + 1)).statusCode()).isEqualTo(404);
  }

  @Test
  void answersRegisteringATakenIdWith500() throws Exception {
    assertThat(get("/owners/1/register").statusCode()).isEqualTo(500);
  }

  @Test
  void servesHelloFromAPlainServlet() throws Exception {
    HttpResponse<String> response = get("/hello");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello from the demo\n");
  }

  @Test
  void answersErrorWith500() throws Exception {
    assertThat(get("/error").statusCode()).isEqualTo(500);
  }

  @Test
  void boundsTheSlowEndpointsSleep() throws Exception {
    assertThat(get("/slow?ms=20").body()).isEqualTo("slept 20 ms\n");
    assertThat(get("/slow?ms=-5").body()).isEqualTo("slept 0 ms\n");
    assertThat(DemoController.MAX_SLOW_MILLIS).isEqualTo(2_000);
  }

  @Test
  void completesAsyncRequestsFromAnotherThread() throws Exception {
    long start = System.nanoTime();

    HttpResponse<String> response = get("/async");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("async done\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(DemoController.ASYNC_DELAY_MILLIS));
  }

  @Test
  void readsThePortFromThePropertyThenTheEnvironment() {
    assertThat(DemoApp.port("9001", "9002")).isEqualTo(9001);
    assertThat(DemoApp.port(null, "9002")).isEqualTo(9002);
    assertThat(DemoApp.port(null, null)).isEqualTo(DemoApp.DEFAULT_PORT);
    assertThat(DemoApp.port(" ", null)).isEqualTo(DemoApp.DEFAULT_PORT);
    assertThatThrownBy(() -> DemoApp.port("abc", null)).isInstanceOf(NumberFormatException.class);
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
