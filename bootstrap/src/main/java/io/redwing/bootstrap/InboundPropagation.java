package io.redwing.bootstrap;

import java.lang.reflect.Method;

/**
 * The inbound headers a configured propagator reads beyond the W3C three the server advice reads
 * itself ({@code traceparent}, {@code tracestate}, {@code baggage}): B3's. Read through the
 * container's own {@code HttpServletRequest} interface, as bootstrap cannot link against it, and
 * only when such a propagator is configured: otherwise a request pays one volatile read.
 */
final class InboundPropagation {
  private static final String[] NONE = new String[0];
  private static final ClassValue<Method> GET_HEADER =
      PublicMethods.named("getHeader", String.class);

  private static volatile String[] fields = NONE;

  private InboundPropagation() {}

  static void fields(String[] names) {
    fields = names == null ? NONE : names.clone();
  }

  /** Name/value pairs of the configured fields the request carries; null when none are. */
  static String[] read(Object request, Class<?> api) {
    String[] names = fields;
    if (names.length == 0 || request == null || api == null || !api.isInstance(request)) {
      return null;
    }
    Method getHeader = GET_HEADER.get(api);
    if (getHeader == null) {
      return null;
    }
    String[] pairs = null;
    try {
      for (int i = 0; i < names.length; i++) {
        Object value = getHeader.invoke(request, names[i]);
        if (value != null) {
          if (pairs == null) {
            pairs = new String[2 * names.length];
          }
          pairs[2 * i] = names[i];
          pairs[2 * i + 1] = value.toString();
        }
      }
    } catch (Throwable t) {
      // the request then continues no trace from these headers, as without them
      return null;
    }
    return pairs;
  }
}
