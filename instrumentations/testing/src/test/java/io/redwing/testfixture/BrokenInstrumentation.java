package io.redwing.testfixture;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Names an advice class that does not exist, so transforming {@link Target} fails. Outside {@code
 * io.redwing.instrumentation}, which the installer never transforms.
 */
public final class BrokenInstrumentation implements TypeInstrumentation {
  @Override
  public String name() {
    return "broken";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.redwing.testfixture.Target");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(named("run"), getClass().getName() + "$MissingAdvice");
  }
}
