package io.redwing.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Receives the advice of a {@link TypeInstrumentation}, named by string so it is never loaded. */
public interface AdviceTarget {

  void applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
