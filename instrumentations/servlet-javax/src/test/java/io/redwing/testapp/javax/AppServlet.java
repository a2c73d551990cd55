package io.redwing.testapp.javax;

import io.redwing.instrumentation.testing.TestApp;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The servlets of {@link TestApp}: one instance per endpoint, behaving as it describes. Outside
 * {@code io.redwing.instrumentation}, which the installer never transforms.
 */
public final class AppServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ScheduledExecutorService LATER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "test-app-async");
            thread.setDaemon(true);
            // Not the webapp's loader, which Tomcat would report as leaked at shutdown.
            thread.setContextClassLoader(AppServlet.class.getClassLoader());
            return thread;
          });

  private final TestApp.Endpoint endpoint;

  public AppServlet(TestApp.Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    switch (endpoint) {
      case HELLO -> response.getWriter().write(TestApp.HELLO_BODY);
      case ITEMS -> response.getWriter().write("item " + request.getPathInfo());
      case FORWARD -> request.getRequestDispatcher("/hello").forward(request, response);
      case INCLUDE -> {
        response.getWriter().write("included:");
        request.getRequestDispatcher("/hello").include(request, response);
      }
      case ASYNC -> {
        AsyncContext async = request.startAsync();
        later(
            () -> {
              async.getResponse().getWriter().write("async");
              async.complete();
              return null;
            });
      }
      case ASYNC_DISPATCH -> {
        AsyncContext async = request.startAsync();
        later(
            () -> {
              async.dispatch("/hello");
              return null;
            });
      }
      case THROWS -> throw new IllegalStateException(TestApp.FAILURE);
      case DOWNLOAD -> {
        byte[] chunk = new byte[TestApp.DOWNLOAD_CHUNK];
        for (int sent = 0; sent < TestApp.DOWNLOAD_BYTES; sent += chunk.length) {
          response.getOutputStream().write(chunk);
        }
      }
      case NOT_FOUND -> {
        response.setStatus(404);
        response.getWriter().write("missing");
      }
    }
  }

  @SuppressWarnings("FutureReturnValueIgnored") // the client's response shows whether it ran
  private static void later(java.util.concurrent.Callable<Void> work) {
    LATER.schedule(work, TestApp.DELAY.toMillis(), TimeUnit.MILLISECONDS);
  }
}
