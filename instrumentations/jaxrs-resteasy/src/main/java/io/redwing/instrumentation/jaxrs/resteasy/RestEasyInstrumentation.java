package io.redwing.instrumentation.jaxrs.resteasy;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.jboss.resteasy.spi.metadata.ResourceLocator;

/**
 * Gives the servlet request RESTEasy serves its JAX-RS route: each sub-resource locator and then
 * the resource method it invokes adds its full {@code @Path} template, and what the method threw is
 * kept, as RESTEasy writes the error response itself. The request is passed on untyped because its
 * {@code getUri()} returns a javax or a jakarta type, as the version has it.
 */
public final class RestEasyInstrumentation implements TypeInstrumentation {
  private static final String METHOD_INVOKER = "org.jboss.resteasy.core.ResourceMethodInvoker";
  private static final String LOCATOR_INVOKER = "org.jboss.resteasy.core.ResourceLocatorInvoker";

  @Override
  public String name() {
    return "jaxrs-resteasy";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(METHOD_INVOKER);
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(METHOD_INVOKER, LOCATOR_INVOKER);
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("invokeOnTarget").and(takesArguments(3)),
        getClass().getName() + "$ResourceMethodAdvice");
    target.applyAdvice(
        named("invokeOnTargetObject").and(takesArguments(3)),
        getClass().getName() + "$LocatorAdvice");
  }

  public static class ResourceMethodAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) Object request, @Advice.FieldValue("method") ResourceLocator method) {
      Operations.restEasyTemplate(request, method.getFullpath(), true);
    }

    // RESTEasy maps what the resource threw to a response itself: the servlet never sees it.
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Thrown Throwable thrown) {
      Operations.frameworkError(thrown);
    }
  }

  public static class LocatorAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) Object request, @Advice.FieldValue("method") ResourceLocator method) {
      Operations.restEasyTemplate(request, method.getFullpath(), false);
    }
  }
}
