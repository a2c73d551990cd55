package io.redwing.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Sentry envelope endpoint: accepts {@code POST /api/<project>/envelope/} (gzip or plain),
 * splits the envelope into its items by their headers' {@code length} or by newlines, and keeps the
 * raw bodies and the parsed {@code event} items. It can answer 429 or stall each request.
 */
final class SentryReceiver implements AutoCloseable {
  static final String PROJECT = "42";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile long stallMillis;

  private SentryReceiver(HttpServer server) {
    this.server = server;
  }

  static SentryReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      SentryReceiver receiver = new SentryReceiver(server);
      server.createContext("/api/" + PROJECT + "/envelope/", receiver::handle);
      // several handler threads, so that a stalled request does not hide the next one
      server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A DSN for this receiver with a public key, as a Sentry project shows it. */
  String dsn() {
    return "http://publickey0123456789@127.0.0.1:" + server.getAddress().getPort() + "/" + PROJECT;
  }

  void answerWith(int httpStatus) {
    this.status = httpStatus;
  }

  void stallEachRequest(long millis) {
    this.stallMillis = millis;
  }

  int requests() {
    return requests.get();
  }

  List<JsonNode> events() {
    return List.copyOf(events);
  }

  /** Every envelope as received (decompressed), for "no secret reached the receiver" checks. */
  String allBodies() {
    return String.join("\n", bodies);
  }

  JsonNode awaitEvent(String description) {
    Await.until(
        "a Sentry event: " + description + " (bodies so far: " + allBodies() + ")",
        Await.EXPORT,
        () -> !events.isEmpty());
    return events.get(0);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = OtlpReceiver.decoded(exchange)) {
        body = in.readAllBytes();
      }
      long stall = stallMillis;
      if (stall > 0) {
        try {
          Thread.sleep(stall);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      int answer = status;
      if (answer == 200) {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        for (Item item : parse(body)) {
          if ("event".equals(item.header.path("type").asText())) {
            events.add(JSON.readTree(item.payload));
          }
        }
        byte[] response = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, response.length);
        exchange.getResponseBody().write(response);
      } else {
        if (answer == 429) {
          exchange.getResponseHeaders().set("Retry-After", "60");
        }
        exchange.sendResponseHeaders(answer, -1);
      }
    }
  }

  private record Item(JsonNode header, byte[] payload) {}

  /** Envelope: a header line, then items, each a header line and a payload. */
  static List<Item> parse(byte[] body) throws IOException {
    List<Item> items = new ArrayList<>();
    int[] pos = {0};
    readLine(body, pos); // the envelope header
    while (pos[0] < body.length) {
      byte[] headerLine = readLine(body, pos);
      if (headerLine.length == 0) {
        continue;
      }
      JsonNode header = JSON.readTree(headerLine);
      byte[] payload;
      if (header.has("length")) {
        int length = header.get("length").asInt();
        payload = java.util.Arrays.copyOfRange(body, pos[0], pos[0] + length);
        pos[0] += length;
        if (pos[0] < body.length && body[pos[0]] == '\n') {
          pos[0]++;
        }
      } else {
        payload = readLine(body, pos);
      }
      items.add(new Item(header, payload));
    }
    return items;
  }

  private static byte[] readLine(byte[] body, int[] pos) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (pos[0] < body.length && body[pos[0]] != '\n') {
      line.write(body[pos[0]++]);
    }
    pos[0]++;
    return line.toByteArray();
  }
}
