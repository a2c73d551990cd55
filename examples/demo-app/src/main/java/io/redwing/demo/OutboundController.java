package io.redwing.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The outbound endpoint: {@code /outbound?to=/owners/7} calls that path on a base URL (the demo
 * itself, or {@code OUTBOUND_BASE_URL}, such as a second demo) with {@code java.net.http}, or with
 * {@code HttpURLConnection} when {@code client=url}, so that one request shows a multi-span trace.
 * Only a path is taken, never a whole URL: the endpoint must not call arbitrary hosts.
 */
@RestController
class OutboundController {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private final String baseUrl;

  OutboundController(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @GetMapping(value = "/outbound", produces = "application/json")
  ResponseEntity<String> outbound(
      @RequestParam("to") String to,
      @RequestParam(value = "client", defaultValue = "jdk") String clientName)
      throws IOException, InterruptedException {
    if (!to.startsWith("/") || to.startsWith("//")) {
      return ResponseEntity.badRequest().body("{\"error\":\"to must be a path\"}");
    }
    URI target = URI.create(baseUrl + to);
    int status;
    String body;
    if (clientName.equals("url")) {
      HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
      connection.setConnectTimeout((int) TIMEOUT.toMillis());
      connection.setReadTimeout((int) TIMEOUT.toMillis());
      status = connection.getResponseCode();
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } else {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      body = response.body();
    }
    return ResponseEntity.ok(
        "{\"calledPath\":\""
            + to.replace("\"", "")
            + "\",\"status\":"
            + status
            + ",\"bodyLength\":"
            + body.length()
            + "}");
  }
}
