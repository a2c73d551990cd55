package io.redwing.testapp.jakarta;

import io.redwing.instrumentation.testing.TestApp;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** A filter of {@link TestApp}; the first one plays Spring MVC's part in matching a route. */
public final class AppFilter implements Filter {
  private final boolean first;

  public AppFilter(boolean first) {
    this.first = first;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String route = ((HttpServletRequest) request).getHeader(TestApp.ROUTE_HEADER);
    if (first && route != null) {
      request.setAttribute(TestApp.FRAMEWORK_ROUTE_ATTRIBUTE, route);
    }
    chain.doFilter(request, response);
  }
}
