package io.redwing.bootstrap;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * A failed request's headers for its error report, read through the container's own {@code
 * HttpServletRequest} interface (javax or jakarta, whichever the advice names): bootstrap cannot
 * link against either, and only the error path pays for the reflection.
 */
final class ServletHeaders {
  static final int MAX_HEADERS = 32;
  static final int MAX_NAME = 128;
  static final int MAX_VALUE = 1024;

  private static final ClassValue<Method> GET_HEADER_NAMES = PublicMethods.named("getHeaderNames");
  private static final ClassValue<Method> GET_HEADERS =
      PublicMethods.named("getHeaders", String.class);

  private ServletHeaders() {}

  /**
   * Name/value pairs, a repeated header's values joined by {@code ", "}, at most {@link
   * #MAX_HEADERS} of them and each cut to its bound; {@code null} when they cannot be read.
   */
  static String[] read(Object request, Class<?> api) {
    if (request == null || api == null || !api.isInstance(request)) {
      return null;
    }
    Method getHeaderNames = GET_HEADER_NAMES.get(api);
    Method getHeaders = GET_HEADERS.get(api);
    if (getHeaderNames == null || getHeaders == null) {
      return null;
    }
    try {
      Enumeration<?> names = (Enumeration<?>) getHeaderNames.invoke(request);
      if (names == null) {
        return null;
      }
      List<String> pairs = new ArrayList<>();
      while (names.hasMoreElements() && pairs.size() < 2 * MAX_HEADERS) {
        String name = String.valueOf(names.nextElement());
        Enumeration<?> values = (Enumeration<?>) getHeaders.invoke(request, name);
        StringBuilder joined = new StringBuilder();
        while (values != null && values.hasMoreElements() && joined.length() <= MAX_VALUE) {
          joined.append(joined.length() == 0 ? "" : ", ").append(values.nextElement());
        }
        pairs.add(cut(name, MAX_NAME));
        pairs.add(cut(joined.toString(), MAX_VALUE));
      }
      return pairs.toArray(new String[0]);
    } catch (Throwable t) {
      // Extra detail for a report that goes out anyway: worth neither failing it nor a line.
      return null;
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
