package io.redwing.agent.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.redwing.agent.errors.ExceptionText;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns operations into spans with the semantic conventions' names, kinds and attributes. */
final class SpanRecorder {
  static final String SCOPE = "io.redwing";

  static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION =
      AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("http.request.header.x-request-id");
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME =
      AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");
  // what OpenTelemetry's Java agent emits by default (code.function.name only on semconv opt-in)
  static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey("code.namespace");
  static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");

  /** Longer {@code @SpanAttribute} values are cut: an argument may be any size. */
  static final int ATTRIBUTE_VALUE_LIMIT = 1024;

  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");

  /** The W3C headers every server instrumentation reads as facts of their own. */
  private static final List<String> W3C_FIELDS =
      Arrays.asList("traceparent", "tracestate", "baggage");

  /**
   * The header facts a server instrumentation reads, as a propagator carrier: the W3C three, and
   * the pairs of any other the configured propagators read ({@link #inboundFields}).
   */
  private static final TextMapGetter<HttpServerRequest> SERVER_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest carrier) {
          if (carrier == null || carrier.propagation == null) {
            return W3C_FIELDS;
          }
          List<String> keys = new ArrayList<>(W3C_FIELDS);
          for (int i = 0; i < carrier.propagation.length; i += 2) {
            if (carrier.propagation[i] != null) {
              keys.add(carrier.propagation[i]);
            }
          }
          return keys;
        }

        @Override
        public String get(HttpServerRequest carrier, String key) {
          if (carrier == null || key == null) {
            return null;
          }
          switch (key) {
            case "traceparent":
              return carrier.traceparent;
            case "tracestate":
              return carrier.tracestate;
            case "baggage":
              return carrier.baggage;
            default:
              return other(carrier.propagation, key);
          }
        }

        private String other(String[] pairs, String key) {
          for (int i = 0; pairs != null && i + 1 < pairs.length; i += 2) {
            if (key.equalsIgnoreCase(pairs[i])) {
              return pairs[i + 1];
            }
          }
          return null;
        }
      };

  /**
   * The inbound headers the propagators read that a server instrumentation does not read itself
   * (B3's), for it to read them too; empty with the default W3C propagators.
   */
  static String[] inboundFields(ContextPropagators propagators) {
    List<String> others = new ArrayList<>();
    for (String field : propagators.getTextMapPropagator().fields()) {
      if (!W3C_FIELDS.contains(field.toLowerCase(Locale.ROOT)) && !others.contains(field)) {
        others.add(field);
      }
    }
    return others.toArray(new String[0]);
  }

  private static final TextMapSetter<List<String>> HEADER_LIST =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.add(key);
          carrier.add(value);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  /**
   * False with the no-op API, whose every span is invalid: the spans are then not built at all,
   * which spares a builder and boxed attributes per operation.
   */
  private final boolean tracing;

  SpanRecorder(OpenTelemetry openTelemetry, String version) {
    this.tracer = openTelemetry.getTracer(SCOPE, version);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.tracing = openTelemetry.getTracerProvider() != TracerProvider.noop();
  }

  Span startServer(
      HttpServerRequest request, String method, String redactedQuery, String requestId) {
    if (!tracing) {
      return Span.getInvalid();
    }
    Context parent = propagator.extract(Context.root(), request, SERVER_HEADERS);
    SpanBuilder builder =
        tracer
            .spanBuilder(method.equals(HttpMethods.OTHER) ? "HTTP" : method)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(HTTP_REQUEST_METHOD, method);
    if (method.equals(HttpMethods.OTHER) && request.method != null) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, request.method);
    }
    setIfPresent(builder, URL_PATH, withoutSessionIds(request.path));
    setIfPresent(builder, URL_QUERY, redactedQuery);
    setIfPresent(builder, URL_SCHEME, request.scheme);
    setIfPresent(builder, SERVER_ADDRESS, request.serverAddress);
    if (request.serverPort > 0) {
      builder.setAttribute(SERVER_PORT, (long) request.serverPort);
    }
    setIfPresent(builder, CLIENT_ADDRESS, request.clientAddress);
    setIfPresent(builder, USER_AGENT, request.userAgent);
    setIfPresent(builder, REQUEST_ID, requestId);
    return builder.startSpan();
  }

  void endServer(
      Span span, String method, int status, String route, String errorType, Throwable error) {
    if (!span.isRecording()) {
      span.end(); // tracing off or not sampled: the name and attributes would be dropped unmade
      return;
    }
    if (route != null && !route.isEmpty()) {
      span.setAttribute(HTTP_ROUTE, route);
      span.updateName((method.equals(HttpMethods.OTHER) ? "HTTP" : method) + " " + route);
    }
    if (status > 0) {
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
    }
    finish(span, errorType, error, status >= 500);
  }

  Span startClient(String method, String url, String scheme, String host, int port) {
    if (!tracing) {
      return Span.getInvalid();
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(method.equals(HttpMethods.OTHER) ? "HTTP" : method)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(Context.current())
            .setAttribute(HTTP_REQUEST_METHOD, method);
    setIfPresent(builder, URL_FULL, url);
    setIfPresent(builder, URL_SCHEME, scheme);
    setIfPresent(builder, SERVER_ADDRESS, host);
    if (port > 0) {
      builder.setAttribute(SERVER_PORT, (long) port);
    }
    return builder.startSpan();
  }

  void clientProtocol(Span span, String libraryVersion) {
    String version = protocolVersion(libraryVersion);
    if (version != null) {
      span.setAttribute(NETWORK_PROTOCOL_VERSION, version);
    }
  }

  /**
   * The semantic conventions' form ({@code 2}, {@code 1.1}) of a version as the JDK ({@code
   * HTTP_2}), Apache ({@code HTTP/2.0}) or OkHttp ({@code h2}) names it; null for anything else.
   */
  static String protocolVersion(String libraryVersion) {
    switch (libraryVersion.toUpperCase(Locale.ROOT)) {
      case "HTTP_2":
      case "HTTP/2":
      case "HTTP/2.0":
      case "H2":
      case "H2_PRIOR_KNOWLEDGE":
        return "2";
      case "HTTP_1_1":
      case "HTTP/1.1":
        return "1.1";
      case "HTTP/1.0":
        return "1.0";
      case "HTTP/3":
      case "H3":
        return "3";
      default:
        return null;
    }
  }

  void endClient(Span span, int status, String errorType, Throwable error) {
    if (status > 0 && span.isRecording()) { // a status above 127 is boxed
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
    }
    finish(span, errorType, error, status >= 400);
  }

  /** A traced method's span; {@code arguments} only where some parameters are attributes. */
  Span startMethod(TracedMethod method, Object[] arguments) {
    if (!tracing) {
      return Span.getInvalid();
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(method.spanName)
            .setSpanKind(method.kind)
            .setAttribute(CODE_NAMESPACE, method.namespace)
            .setAttribute(CODE_FUNCTION, method.function);
    if (method.inheritContext) {
      builder.setParent(Context.current());
    } else {
      builder.setNoParent();
    }
    if (arguments != null) {
      String[] names = method.attributeNames;
      for (int i = 0; i < names.length && i < arguments.length; i++) {
        if (names[i] != null && arguments[i] != null) {
          setIfPresent(builder, AttributeKey.stringKey(names[i]), attributeValue(arguments[i]));
        }
      }
    }
    return builder.startSpan();
  }

  void endMethod(Span span, String errorType, Throwable error) {
    finish(span, errorType, error, false);
  }

  /** The argument's text, cut to the limit; null if its toString throws. */
  static String attributeValue(Object argument) {
    String text;
    try {
      text = argument.getClass().isArray() ? arrayText(argument) : String.valueOf(argument);
    } catch (RuntimeException e) {
      return null; // the application's toString failed: no attribute rather than a broken call
    }
    return text.length() > ATTRIBUTE_VALUE_LIMIT ? text.substring(0, ATTRIBUTE_VALUE_LIMIT) : text;
  }

  private static String arrayText(Object array) {
    if (array instanceof Object[]) {
      return Arrays.toString((Object[]) array);
    }
    int length = java.lang.reflect.Array.getLength(array);
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < length && text.length() <= ATTRIBUTE_VALUE_LIMIT; i++) {
      text.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(array, i));
    }
    return text.append(']').toString();
  }

  /** Name/value pairs the configured propagators write for a call made inside {@code span}. */
  String[] propagationHeaders(Span span) {
    List<String> headers = new ArrayList<>(4);
    propagator.inject(Context.current().with(span), headers, HEADER_LIST);
    return headers.toArray(new String[0]);
  }

  Span startDb(DbClientRequest request, DbStatement statement) {
    if (!tracing) {
      return Span.getInvalid();
    }
    String name =
        statement.operationName() != null
            ? statement.operationName()
                + (statement.collectionName() != null ? " " + statement.collectionName() : "")
            : request.system != null ? request.system : "DB";
    SpanBuilder builder =
        tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(Context.current());
    setIfPresent(builder, DB_SYSTEM_NAME, request.system);
    setIfPresent(builder, DB_NAMESPACE, request.namespace);
    setIfPresent(builder, DB_OPERATION_NAME, statement.operationName());
    setIfPresent(builder, DB_COLLECTION_NAME, statement.collectionName());
    setIfPresent(builder, DB_QUERY_TEXT, statement.queryText());
    setIfPresent(builder, SERVER_ADDRESS, request.serverAddress);
    if (request.serverPort > 0) {
      builder.setAttribute(SERVER_PORT, (long) request.serverPort);
    }
    if (request.batchSize > 1) {
      builder.setAttribute(DB_BATCH_SIZE, (long) request.batchSize);
    }
    return builder.startSpan();
  }

  /**
   * Names a batch's span once its commands are known ({@code MULTI SET}) and gives it their number;
   * it then ends like a command's.
   */
  void nameDbBatch(Span span, String operationName, int size) {
    if (operationName != null) {
      span.updateName(operationName);
      span.setAttribute(DB_OPERATION_NAME, operationName);
    }
    span.setAttribute(DB_BATCH_SIZE, (long) size);
  }

  void endDb(Span span, String errorType, Throwable error) {
    finish(span, errorType, error, false);
  }

  /**
   * The exception event, its text cleaned: the SDK would export the message and the trace, causes'
   * messages included, as they are, and with them credentials in a URL, a token in a query, an
   * e-mail address, or a statement's values ({@link ExceptionText}).
   */
  private static void recordException(Span span, Throwable error) {
    String message = ExceptionText.message(error);
    span.recordException(
        error,
        Attributes.of(
            EXCEPTION_MESSAGE,
            message == null ? "" : message,
            EXCEPTION_STACKTRACE,
            ExceptionText.stackTrace(error)));
  }

  /**
   * The path without the parameters that carry a session: a servlet container's {@code
   * ;jsessionid=...} is as good as the session cookie it stands in for.
   */
  static String withoutSessionIds(String path) {
    if (path == null || path.indexOf(';') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    while (i < path.length()) {
      if (path.charAt(i) != ';') {
        out.append(path.charAt(i++));
        continue;
      }
      int end = i + 1;
      while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != ';') {
        end++;
      }
      String name = path.substring(i + 1, end).toLowerCase(Locale.ROOT);
      int eq = name.indexOf('=');
      name = eq < 0 ? name : name.substring(0, eq);
      if (!name.contains("session") && !name.contains("token") && !name.equals("sid")) {
        out.append(path, i, end);
      }
      i = end;
    }
    return out.toString();
  }

  private static void finish(Span span, String errorType, Throwable error, boolean failedStatus) {
    if (!errorType.isEmpty()) {
      span.setAttribute(ERROR_TYPE, errorType);
    }
    if (error != null) {
      recordException(span, error);
      span.setStatus(StatusCode.ERROR);
    } else if (failedStatus) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static void setIfPresent(SpanBuilder builder, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      builder.setAttribute(key, value);
    }
  }
}
