package io.redwing.it.bundled;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application that ships its own, older OpenTelemetry SDK, Prometheus client, Byte Buddy and
 * SLF4J, as a customer's service would. Compiled and started by BundledLibrariesIT with
 * {@code -javaagent:}; it prints what its own libraries did so the test can check both sides.
 *
 * <p>Arguments: application port, the application's own metrics port.
 */
public final class BundledApp {

  private static final Logger LOG = LoggerFactory.getLogger(BundledApp.class);

  private BundledApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int ownMetricsPort = Integer.parseInt(args[1]);

    for (Class<?> type :
        new Class<?>[] {Span.class, SdkTracerProvider.class, Counter.class, ByteBuddy.class}) {
      System.out.println(
          "library " + type.getName() + " from " + type.getProtectionDomain().getCodeSource());
    }

    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new PrintingExporter()))
            .build();
    Tracer tracer = tracerProvider.get("bundled-app");
    tracer.spanBuilder("app-startup").startSpan().end();

    Counter requests =
        Counter.builder().name("bundled_app_requests_total").help("Work requests.").register();
    HTTPServer ownMetrics = HTTPServer.builder().port(ownMetricsPort).buildAndStart();

    Object generated =
        new ByteBuddy(ClassFileVersion.JAVA_V17)
            .subclass(Object.class)
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the app's own Byte Buddy"))
            .make()
            .load(BundledApp.class.getClassLoader())
            .getLoaded()
            .getDeclaredConstructor()
            .newInstance();
    System.out.println("byte-buddy: " + generated);

    File baseDir = Files.createTempDirectory("bundled-app").toFile();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.getAbsolutePath());
    tomcat.setPort(port);
    tomcat.getConnector();
    Context context = tomcat.addContext("", baseDir.getAbsolutePath());
    Tomcat.addServlet(context, "work", new WorkServlet(tracer, requests));
    context.addServletMapping("/work", "work");
    tomcat.start();

    LOG.info("bundled app listening on port {}", port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ownMetrics.stop();
                  tracerProvider.shutdown();
                }));
    tomcat.getServer().await();
  }

  private static final class WorkServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Tracer tracer;
    private final transient Counter requests;

    WorkServlet(Tracer tracer, Counter requests) {
      this.tracer = tracer;
      this.requests = requests;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Span span = tracer.spanBuilder("app-work").startSpan();
      try {
        requests.inc();
        span.setAttribute(AttributeKey.stringKey("app.path"), request.getRequestURI());
        LOG.info("work request {}", request.getRequestURI());
        response.setContentType("text/plain");
        response.getWriter().write("work done\n");
      } finally {
        span.end();
      }
    }
  }

  /** Prints each span the app's own SDK ends, standing in for the app's own exporter. */
  private static final class PrintingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      for (SpanData span : spans) {
        System.out.println("app-span " + span.getName() + " trace " + span.getTraceId());
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
