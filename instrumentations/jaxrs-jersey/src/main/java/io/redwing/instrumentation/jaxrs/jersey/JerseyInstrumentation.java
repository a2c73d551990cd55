package io.redwing.instrumentation.jaxrs.jersey;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * Gives the servlet request Jersey serves its JAX-RS route: at the dispatch to the resource method,
 * once every {@code @Path} (sub-resource locators too) matched, it takes the matched templates and
 * the application's base path. Jersey 2 (javax) and 3 (jakarta) share these class names.
 */
public final class JerseyInstrumentation implements TypeInstrumentation {
  private static final String DISPATCHER =
      "org.glassfish.jersey.server.model.internal.AbstractJavaResourceMethodDispatcher";

  @Override
  public String name() {
    return "jaxrs-jersey";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(DISPATCHER);
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(DISPATCHER);
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("dispatch")
            .and(takesArguments(2))
            .and(takesArgument(1, named("org.glassfish.jersey.server.ContainerRequest"))),
        getClass().getName() + "$DispatchAdvice");
  }

  public static class DispatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(1) ContainerRequest request) {
      Operations.jaxrsRoute(
          request.getBaseUri().getRawPath(), request.getUriInfo().getMatchedTemplates());
    }
  }
}
