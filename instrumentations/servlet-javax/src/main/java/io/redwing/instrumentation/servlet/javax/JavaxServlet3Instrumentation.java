package io.redwing.instrumentation.servlet.javax;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import javax.servlet.DispatcherType;
import javax.servlet.ServletRegistration;
import javax.servlet.ServletRequest;
import javax.servlet.ServletRequestWrapper;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times each HTTP request of a Servlet 3.x container as {@link JavaxServletInstrumentation} does,
 * taking the same facts, but the route from the servlet path and path info and the registered exact
 * mappings, since there is no {@code HttpServletMapping} before Servlet 4.
 */
public final class JavaxServlet3Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "servlet-javax";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // Only where Servlet 4's HttpServletMapping is missing: JavaxServletInstrumentation covers 4+.
    return hasClassesNamed("javax.servlet.Servlet")
        .and(not(hasClassesNamed("javax.servlet.http.HttpServletMapping")));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return isClassImplementing("javax.servlet.Servlet", "javax.servlet.Filter");
  }

  @Override
  public void transform(AdviceTarget target) {
    String advice = getClass().getName() + "$ServiceAdvice";
    target.applyAdvice(JavaxServletInstrumentation.dispatch("service", 2), advice);
    target.applyAdvice(
        JavaxServletInstrumentation.dispatch("doFilter", 3)
            .and(takesArgument(2, named("javax.servlet.FilterChain"))),
        advice);
  }

  public static class ServiceAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Argument(0) ServletRequest request, @Advice.Argument(1) ServletResponse response) {
      // Filters, forwards and includes nest in the outermost dispatch, which alone is timed.
      if (Operations.inHttpServer()
          || !(request instanceof HttpServletRequest)
          || !(response instanceof HttpServletResponse)) {
        return null;
      }
      DispatcherType type = request.getDispatcherType();
      if (type == DispatcherType.ASYNC) {
        return Operations.resumeHttpServer(
            request,
            request instanceof ServletRequestWrapper
                ? ((ServletRequestWrapper) request).getRequest()
                : null);
      }
      // An error page dispatch comes after the request it reports on was already timed.
      if (type != DispatcherType.REQUEST) {
        return null;
      }
      HttpServletRequest http = (HttpServletRequest) request;
      Operation op =
          Operations.startHttpServer(
              new HttpServerRequest(
                  "servlet-javax",
                  http.getMethod(),
                  http.getScheme(),
                  http.getServerName(),
                  http.getServerPort(),
                  http.getRequestURI(),
                  http.getQueryString(),
                  http.getRemoteAddr(),
                  http.getHeader("User-Agent"),
                  http.getHeader("traceparent"),
                  http.getHeader("tracestate"),
                  http.getHeader("baggage"),
                  http.getHeader("X-Request-ID"),
                  Operations.inboundPropagation(http, HttpServletRequest.class)));
      String requestId = Operations.requestId(op);
      if (requestId != null) {
        ((HttpServletResponse) response).setHeader("X-Request-ID", requestId);
      }
      return op;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Argument(0) ServletRequest request,
        @Advice.Argument(1) ServletResponse response,
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown) {
      // Nested and untimed dispatches stop here, before reading anything.
      if (op == null) {
        return;
      }
      Operations.failedServletRequest(op, request, HttpServletRequest.class, thrown);
      HttpServletRequest http = (HttpServletRequest) request;
      String servletPath = http.getServletPath();
      boolean exactMapping = false;
      // Only without a path info can the servlet path be an exact mapping, or the whole path.
      if (http.getPathInfo() == null) {
        for (ServletRegistration servlet :
            request.getServletContext().getServletRegistrations().values()) {
          exactMapping = exactMapping || servlet.getMappings().contains(servletPath);
        }
      }
      Operations.endHttpServer(
          op,
          Operations.servletStatus(
              ((HttpServletResponse) response).getStatus(), response.isCommitted(), thrown),
          Operations.servletRoute(
              request.getAttribute(
                  "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern"),
              servletPath,
              http.getPathInfo(),
              exactMapping),
          thrown);
    }
  }
}
