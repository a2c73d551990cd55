package io.redwing.bootstrap;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;

/**
 * Joins the {@code @Path} templates a JAX-RS framework matched into one route: {@code /api} and
 * {@code /items/{id: [0-9]+}} become {@code /api/items/{id}}. Lives here rather than in agent-core
 * so that the in-process tests, which record with their own listener, see the route users get.
 */
final class JaxrsRoutes {
  /** Jersey's {@code UriTemplate.getTemplate()}; its {@code toString()} is the regex instead. */
  private static final ClassValue<Method> GET_TEMPLATE = PublicMethods.named("getTemplate");

  // RESTEasy's HttpRequest.getUri() returns a javax or a jakarta UriInfo, as the version has it.
  private static final ClassValue<Method> GET_URI = PublicMethods.named("getUri");
  private static final ClassValue<Method> GET_BASE_URI = PublicMethods.named("getBaseUri");

  private JaxrsRoutes() {}

  /**
   * The route under {@code basePath} of {@code matchedTemplates}, innermost first as frameworks
   * keep them: template objects with a {@code getTemplate()} method, or plain strings.
   */
  static String resolve(String basePath, List<?> matchedTemplates)
      throws ReflectiveOperationException {
    StringBuilder route = new StringBuilder();
    appendSegments(route, basePath);
    for (int i = matchedTemplates.size() - 1; i >= 0; i--) {
      appendSegments(route, template(matchedTemplates.get(i)));
    }
    return route.length() == 0 ? "/" : route.toString();
  }

  /** The raw path of the base URI (context and servlet path) of RESTEasy's {@code HttpRequest}. */
  static String restEasyBasePath(Object httpRequest) throws ReflectiveOperationException {
    Method getUri = GET_URI.get(httpRequest.getClass());
    Object uriInfo = getUri == null ? null : getUri.invoke(httpRequest);
    Method getBaseUri = uriInfo == null ? null : GET_BASE_URI.get(uriInfo.getClass());
    Object baseUri = getBaseUri == null ? null : getBaseUri.invoke(uriInfo);
    return baseUri instanceof URI ? ((URI) baseUri).getRawPath() : null;
  }

  private static String template(Object matched) throws ReflectiveOperationException {
    if (matched == null || matched instanceof String) {
      return (String) matched;
    }
    Method getTemplate = GET_TEMPLATE.get(matched.getClass());
    return getTemplate == null ? null : (String) getTemplate.invoke(matched);
  }

  /**
   * Appends each non-empty segment of {@code template} after a slash, so that no part makes a
   * double or trailing slash, and keeps only the name of each variable, dropping its regex.
   */
  private static void appendSegments(StringBuilder route, String template) {
    if (template == null) {
      return;
    }
    int depth = 0;
    boolean inRegex = false;
    boolean segmentOpen = false;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (depth > 0) {
        // Inside {name: regex}: regexes may hold braces ({3}) and slashes of their own.
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          route.append('}');
          inRegex = false;
        } else if (c == ':' && depth == 1) {
          inRegex = true;
        } else if (!inRegex && !Character.isWhitespace(c)) {
          route.append(c);
        }
        continue;
      }
      if (c == '/') {
        segmentOpen = false;
        continue;
      }
      if (!segmentOpen) {
        route.append('/');
        segmentOpen = true;
      }
      route.append(c);
      if (c == '{') {
        depth = 1;
      }
    }
  }
}
