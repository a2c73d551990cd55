package io.redwing.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver: decodes {@code POST /v1/traces} and {@code POST /v1/logs} protobuf
 * bodies (gzip or not) with the published proto classes and keeps every span and log record. It can
 * be told to answer 500.
 */
final class OtlpReceiver implements AutoCloseable {

  /** A received span with the resource it was exported under. */
  record ReceivedSpan(Resource resource, Span span) {

    String attribute(String key) {
      return OtlpReceiver.attribute(span.getAttributesList(), key);
    }

    String resourceAttribute(String key) {
      return OtlpReceiver.attribute(resource.getAttributesList(), key);
    }
  }

  /** A received log record with the resource and the instrumentation scope it came under. */
  record ReceivedLog(Resource resource, String scope, LogRecord log) {

    String body() {
      return log.getBody().getStringValue();
    }

    /** Hex, or empty when the record was emitted outside a span. */
    String traceId() {
      return hex(log.getTraceId());
    }

    String spanId() {
      return hex(log.getSpanId());
    }

    String attribute(String key) {
      return OtlpReceiver.attribute(log.getAttributesList(), key);
    }

    String resourceAttribute(String key) {
      return OtlpReceiver.attribute(resource.getAttributesList(), key);
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger logRequests = new AtomicInteger();
  private volatile int status = 200;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/traces", receiver::handle);
      server.createContext("/v1/logs", receiver::handleLogs);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The base endpoint, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void answerWith(int httpStatus) {
    this.status = httpStatus;
  }

  /** Each request's headers, names in lower case. */
  List<Map<String, List<String>>> requestHeaders() {
    return List.copyOf(requestHeaders);
  }

  int requests() {
    return requests.get();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
    return spans.stream().filter(filter).collect(Collectors.toList());
  }

  /** Waits until at least {@code count} received spans match, then returns all that match. */
  List<ReceivedSpan> awaitSpans(String description, int count, Predicate<ReceivedSpan> filter) {
    Await.until(
        count + " spans: " + description + " (received so far: " + names() + ")",
        Await.EXPORT,
        () -> spans(filter).size() >= count);
    return spans(filter);
  }

  /** The number of {@code /v1/logs} requests (also counted in {@link #requests()}). */
  int logRequests() {
    return logRequests.get();
  }

  List<ReceivedLog> logs() {
    return List.copyOf(logs);
  }

  /** Waits until a received log record's body is {@code body}, then returns all with that body. */
  List<ReceivedLog> awaitLog(String body) {
    Await.until(
        "a log record \"" + body + "\" (received so far: " + bodies() + ")",
        Await.EXPORT,
        () -> logs.stream().anyMatch(l -> l.body().equals(body)));
    return logs.stream().filter(l -> l.body().equals(body)).collect(Collectors.toList());
  }

  List<String> bodies() {
    return logs.stream().map(ReceivedLog::body).collect(Collectors.toList());
  }

  List<String> names() {
    return spans.stream().map(s -> s.span().getName()).collect(Collectors.toList());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      traces(exchange);
    }
  }

  private void handleLogs(HttpExchange exchange) throws IOException {
    logRequests.incrementAndGet();
    try (exchange) {
      logs(exchange);
    }
  }

  private void traces(HttpExchange exchange) throws IOException {
    byte[] body = received(exchange);
    if (body == null) {
      return;
    }
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
    if (status == 200) {
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(new ReceivedSpan(resourceSpans.getResource(), span));
          }
        }
      }
    }
    answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
  }

  private void logs(HttpExchange exchange) throws IOException {
    byte[] body = received(exchange);
    if (body == null) {
      return;
    }
    ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(body);
    if (status == 200) {
      for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
        for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
          for (LogRecord log : scopeLogs.getLogRecordsList()) {
            logs.add(
                new ReceivedLog(resourceLogs.getResource(), scopeLogs.getScope().getName(), log));
          }
        }
      }
    }
    answer(exchange, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
  }

  /** The decoded body of a POST, or null when the request was answered already (not a POST). */
  private byte[] received(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    requestHeaders.add(headers);
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(405, -1);
      return null;
    }
    try (InputStream in = decoded(exchange)) {
      return in.readAllBytes();
    }
  }

  private void answer(HttpExchange exchange, byte[] response) throws IOException {
    int answer = status;
    if (answer != 200) {
      exchange.sendResponseHeaders(answer, -1);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
    if (response.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  /** A trace or span id as the W3C headers and the logs write it. */
  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  static InputStream decoded(HttpExchange exchange) throws IOException {
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    InputStream body = exchange.getRequestBody();
    return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(body) : body;
  }

  static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        return text(attribute.getValue());
      }
    }
    return null;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString();
    };
  }
}
