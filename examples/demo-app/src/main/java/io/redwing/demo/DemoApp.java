package io.redwing.demo;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Starts the demo: embedded Tomcat 11 with a Spring MVC dispatcher and one plain servlet.
 *
 * <p>The port comes from {@code -Dport}, then the {@code PORT} environment variable, then 8080.
 */
public final class DemoApp {

  static final int DEFAULT_PORT = 8080;

  private DemoApp() {}

  public static void main(String[] args) throws Exception {
    int port = port(System.getProperty("port"), System.getenv("PORT"));
    Tomcat tomcat = start(port);
    System.out.println("Redwing demo listening on http://localhost:" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(tomcat), "demo-shutdown"));
    tomcat.getServer().await();
  }

  static Tomcat start(int port) throws Exception {
    File baseDir = Files.createTempDirectory("redwing-demo").toFile();
    baseDir.deleteOnExit();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.getAbsolutePath());
    tomcat.setPort(port);
    tomcat.getConnector();

    Context context = tomcat.addContext("", baseDir.getAbsolutePath());

    Tomcat.addServlet(context, "hello", new HelloServlet());
    context.addServletMapping("/hello", "hello");
    Tomcat.addServlet(context, "download", new DownloadServlet());
    context.addServletMapping("/download", "download");

    AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
    spring.register(DemoWebConfig.class);
    Wrapper dispatcher = Tomcat.addServlet(context, "dispatcher", new DispatcherServlet(spring));
    // DeferredResult needs an async-capable servlet.
    dispatcher.setAsyncSupported(true);
    dispatcher.setLoadOnStartup(1);
    context.addServletMapping("/", "dispatcher");

    tomcat.start();
    return tomcat;
  }

  static int port(String property, String environment) {
    String value = property != null ? property : environment;
    if (value == null || value.isBlank()) {
      return DEFAULT_PORT;
    }
    return Integer.parseInt(value.trim());
  }

  private static void stopQuietly(Tomcat tomcat) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (Exception e) {
      System.err.println("Demo shutdown: " + e);
    }
  }
}
