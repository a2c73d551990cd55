package io.redwing.agent.telemetry;

import io.opentelemetry.api.trace.SpanKind;

/**
 * What is fixed about one traced method: its span's name and kind, its metric labels, and which
 * arguments become span attributes under which names (null entries are not recorded).
 */
final class TracedMethod {
  private static final String[] NO_ATTRIBUTES = new String[0];

  final String spanName;
  final SpanKind kind;
  final String namespace;
  final String function;
  final boolean inheritContext;
  final String[] attributeNames;

  TracedMethod(
      String spanName,
      SpanKind kind,
      String namespace,
      String function,
      boolean inheritContext,
      String[] attributeNames) {
    this.spanName = spanName;
    this.kind = kind;
    this.namespace = namespace;
    this.function = function;
    this.inheritContext = inheritContext;
    this.attributeNames = attributeNames == null ? NO_ATTRIBUTES : attributeNames;
  }

  /** A method listed in the configuration: an INTERNAL span named as OpenTelemetry's agent does. */
  static TracedMethod listed(Class<?> type, String method) {
    return new TracedMethod(
        defaultSpanName(type, method), SpanKind.INTERNAL, type.getName(), method, true, null);
  }

  /**
   * {@code Class.method} with the class's name after its package; nested classes keep {@code $}.
   */
  static String defaultSpanName(Class<?> type, String method) {
    String name = type.getName();
    return name.substring(name.lastIndexOf('.') + 1) + "." + method;
  }
}
