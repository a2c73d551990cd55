package io.redwing.instrumentation.servlet.jakarta;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times each HTTP request from the outermost {@code Filter.doFilter} or {@code Servlet.service} of
 * a jakarta.servlet (Servlet 5+) container, taking the request line, addresses, user agent, trace
 * and request-id headers, the status, and the route from Spring MVC or the servlet mapping.
 */
public final class JakartaServletInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "servlet-jakarta";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("jakarta.servlet.Servlet");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return isClassImplementing("jakarta.servlet.Servlet", "jakarta.servlet.Filter");
  }

  @Override
  public void transform(AdviceTarget target) {
    String advice = getClass().getName() + "$ServiceAdvice";
    target.applyAdvice(dispatch("service", 2), advice);
    target.applyAdvice(
        dispatch("doFilter", 3).and(takesArgument(2, named("jakarta.servlet.FilterChain"))),
        advice);
  }

  private static ElementMatcher.Junction<MethodDescription> dispatch(String method, int arguments) {
    return named(method)
        .and(not(isAbstract()))
        .and(takesArguments(arguments))
        .and(takesArgument(0, named("jakarta.servlet.ServletRequest")))
        .and(takesArgument(1, named("jakarta.servlet.ServletResponse")));
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
                  "servlet-jakarta",
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
      // Wrappers may answer null; a throw here would leave the operation open on this thread.
      HttpServletMapping mapping = ((HttpServletRequest) request).getHttpServletMapping();
      Operations.endHttpServer(
          op,
          Operations.servletStatus(
              ((HttpServletResponse) response).getStatus(), response.isCommitted(), thrown),
          Operations.servletRoute(
              request.getAttribute(
                  "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern"),
              mapping == null ? null : mapping.getPattern()),
          thrown);
    }
  }
}
