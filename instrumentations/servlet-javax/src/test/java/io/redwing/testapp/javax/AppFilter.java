package io.redwing.testapp.javax;

import io.redwing.instrumentation.testing.TestApp;
import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;

/** A filter of {@link TestApp}; the first one plays Spring MVC's part in matching a route. */
public final class AppFilter implements Filter {
  private final boolean first;

  public AppFilter(boolean first) {
    this.first = first;
  }

  // init and destroy are abstract before Servlet 4, on which Jetty 9.4 runs here.
  @Override
  public void init(FilterConfig config) {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String route = ((HttpServletRequest) request).getHeader(TestApp.ROUTE_HEADER);
    if (first && route != null) {
      request.setAttribute(TestApp.FRAMEWORK_ROUTE_ATTRIBUTE, route);
    }
    chain.doFilter(request, response);
  }

  @Override
  public void destroy() {}
}
