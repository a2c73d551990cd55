package io.redwing.instrumentation.methods;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * OpenTelemetry's {@code otel.instrumentation.methods.include} syntax: {@code
 * com.acme.LoanService[approve,reject];com.acme.Scoring[*]}. Whitespace around names is ignored; an
 * entry that is not {@code class[method,...]} is reported once and skipped, the others stay.
 */
final class MethodsInclude {
  /** Every non-abstract method the class declares, constructors excepted. */
  static final String ALL_METHODS = "*";

  private static final String IDENTIFIER = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
  private static final Pattern CLASS_NAME =
      Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
  private static final Pattern METHOD_NAME = Pattern.compile(IDENTIFIER + "|\\*");

  private MethodsInclude() {}

  /** Class names to the method names listed for them, in the order given; never null. */
  static Map<String, Set<String>> parse(String value, Consumer<String> problems) {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    if (value == null) {
      return result;
    }
    for (String entry : value.split(";", -1)) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue; // a trailing or doubled ';' is not worth a warning
      }
      Set<String> methods = methods(trimmed);
      String className = methods == null ? null : trimmed.substring(0, trimmed.indexOf('[')).trim();
      if (methods == null || !CLASS_NAME.matcher(className).matches()) {
        problems.accept(
            "otel.instrumentation.methods.include: \""
                + trimmed
                + "\" is not class[method,...] (e.g. com.acme.LoanService[approve,reject] or"
                + " com.acme.Scoring[*]); skipped");
        continue;
      }
      result.computeIfAbsent(className, c -> new LinkedHashSet<>()).addAll(methods);
    }
    return result;
  }

  /** The names between the brackets, or null when the entry is malformed. */
  private static Set<String> methods(String entry) {
    int open = entry.indexOf('[');
    if (open <= 0 || !entry.endsWith("]") || entry.indexOf('[', open + 1) >= 0) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : entry.substring(open + 1, entry.length() - 1).split(",", -1)) {
      String method = name.trim();
      if (!METHOD_NAME.matcher(method).matches()) {
        return null;
      }
      names.add(method);
    }
    return Collections.unmodifiableSet(names);
  }
}
