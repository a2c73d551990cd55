package io.redwing.instrumentation.methods;

import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The method-tracing instrumentations a configuration asks for. Built from the configuration each
 * time, never found by {@link java.util.ServiceLoader}, so that a new value takes effect when the
 * instrumentations are rebuilt.
 */
public final class MethodTracing {
  /** The switch is {@code redwing.instrumentation.methods.enabled}. */
  public static final String NAME = "methods";

  private MethodTracing() {}

  /**
   * For {@code otel.instrumentation.methods.include}: empty when it is unset or lists nothing
   * usable; bad entries are reported through {@code problems} and skipped.
   */
  public static List<TypeInstrumentation> instrumentations(
      String include, Consumer<String> problems) {
    Map<String, Set<String>> methods = MethodsInclude.parse(include, problems);
    return methods.isEmpty() ? List.of() : List.of(new MethodInstrumentation(methods));
  }
}
