package io.redwing.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver: decodes {@code POST /v1/traces} protobuf bodies (gzip or not)
 * with the published proto classes and keeps every span. It can be told to answer 500.
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

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
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

  List<String> names() {
    return spans.stream().map(s -> s.span().getName()).collect(Collectors.toList());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = decoded(exchange)) {
        body = in.readAllBytes();
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      int answer = status;
      if (answer == 200) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
          for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
            for (Span span : scopeSpans.getSpansList()) {
              spans.add(new ReceivedSpan(resourceSpans.getResource(), span));
            }
          }
        }
        byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
        if (response.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
          }
        }
      } else {
        exchange.sendResponseHeaders(answer, -1);
      }
    }
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
