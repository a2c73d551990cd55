package io.redwing.instrumentation.servlet.jakarta;

import io.redwing.instrumentation.testing.HttpServerContract;
import io.redwing.instrumentation.testing.TestApp;
import io.redwing.testapp.jakarta.AppFilter;
import io.redwing.testapp.jakarta.AppServlet;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;

class Undertow2InstrumentationTest extends HttpServerContract {
  private Undertow server;
  private DeploymentManager deployment;

  @Override
  protected int startServer() throws Exception {
    DeploymentInfo info =
        Servlets.deployment()
            .setClassLoader(getClass().getClassLoader())
            .setContextPath("/")
            .setDeploymentName("test-app");
    for (TestApp.Endpoint endpoint : TestApp.Endpoint.values()) {
      info.addServlet(
          Servlets.servlet(
                  endpoint.servletName(),
                  AppServlet.class,
                  new ImmediateInstanceFactory<>(new AppServlet(endpoint)))
              .addMapping(endpoint.mapping)
              .setAsyncSupported(true));
    }
    for (String name : TestApp.FILTERS) {
      info.addFilter(
          Servlets.filter(
                  name,
                  AppFilter.class,
                  new ImmediateInstanceFactory<>(
                      new AppFilter(name.equals(TestApp.FILTERS.get(0)))))
              .setAsyncSupported(true));
      for (DispatcherType type : DispatcherType.values()) {
        info.addFilterUrlMapping(name, "/*", type);
      }
    }
    deployment = Servlets.defaultContainer().addDeployment(info);
    deployment.deploy();
    server =
        Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(deployment.start()).build();
    server.start();
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
    deployment.stop();
    deployment.undeploy();
  }

  @Override
  protected String instrumentationName() {
    return "servlet-jakarta";
  }
}
