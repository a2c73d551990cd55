package io.redwing.instrumentation.servlet.jakarta;

import io.redwing.instrumentation.testing.HttpServerContract;
import io.redwing.instrumentation.testing.TestApp;
import io.redwing.testapp.jakarta.AppFilter;
import io.redwing.testapp.jakarta.AppServlet;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

class Jetty12InstrumentationTest extends HttpServerContract {
  private Server server;

  @Override
  protected int startServer() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (TestApp.Endpoint endpoint : TestApp.Endpoint.values()) {
      ServletHolder holder = new ServletHolder(endpoint.servletName(), new AppServlet(endpoint));
      holder.setAsyncSupported(true);
      context.addServlet(holder, endpoint.mapping);
    }
    for (String name : TestApp.FILTERS) {
      FilterHolder holder = new FilterHolder(new AppFilter(name.equals(TestApp.FILTERS.get(0))));
      holder.setName(name);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    }
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }

  @Override
  protected String instrumentationName() {
    return "servlet-jakarta";
  }
}
