package io.redwing.instrumentation.api;

import static net.bytebuddy.matcher.ElementMatchers.any;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumented library family: which types to transform and which advice goes on which of their
 * methods. Implementations are found with {@link java.util.ServiceLoader}.
 */
public interface TypeInstrumentation {

  /** Kebab-case; also the switch {@code REDWING_INSTRUMENTATION_<NAME>_ENABLED}. */
  String name();

  /**
   * A cheap gate evaluated once per class loader, usually {@code hasClassesNamed(...)}, so that the
   * type matcher never runs where the library is absent.
   */
  default ElementMatcher<ClassLoader> classLoaderMatcher() {
    return any();
  }

  /** Name matchers first, hierarchy matchers last. */
  ElementMatcher<TypeDescription> typeMatcher();

  /** Adds each method matcher with the binary name of the advice class that instruments it. */
  void transform(AdviceTarget target);
}
