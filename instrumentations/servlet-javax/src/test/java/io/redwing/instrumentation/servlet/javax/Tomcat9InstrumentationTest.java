package io.redwing.instrumentation.servlet.javax;

import io.redwing.instrumentation.testing.HttpServerContract;
import io.redwing.instrumentation.testing.TestApp;
import io.redwing.testapp.javax.AppFilter;
import io.redwing.testapp.javax.AppServlet;
import java.nio.file.Files;
import javax.servlet.DispatcherType;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

class Tomcat9InstrumentationTest extends HttpServerContract {
  private Tomcat tomcat;

  @Override
  @SuppressWarnings("deprecation") // Tomcat 9 deprecates every way to map a servlet in code
  protected int startServer() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat9").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", null);
    for (TestApp.Endpoint endpoint : TestApp.Endpoint.values()) {
      Tomcat.addServlet(context, endpoint.servletName(), new AppServlet(endpoint))
          .setAsyncSupported(true);
      context.addServletMappingDecoded(endpoint.mapping, endpoint.servletName(), false);
    }
    for (String name : TestApp.FILTERS) {
      FilterDef def = new FilterDef();
      def.setFilterName(name);
      def.setFilter(new AppFilter(name.equals(TestApp.FILTERS.get(0))));
      def.setAsyncSupported("true");
      context.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName(name);
      map.addURLPattern("/*");
      for (DispatcherType type : DispatcherType.values()) {
        map.setDispatcher(type.name());
      }
      context.addFilterMap(map);
    }
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.start();
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Override
  protected String instrumentationName() {
    return "servlet-javax";
  }
}
