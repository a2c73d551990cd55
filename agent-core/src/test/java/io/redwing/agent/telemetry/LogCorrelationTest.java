package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.redwing.bootstrap.Operation;
import java.io.StringWriter;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout.Builder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogCorrelationTest {
  private static final String PATTERN = "%X{trace_id}|%X{span_id}|%X{request_id}|%m";
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().build())
          .setPropagators(
              io.opentelemetry.context.propagation.ContextPropagators.create(
                  io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
          .build();
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(new RedMetrics("1", 100), sdk, "1", Set.of(), true);

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private Operation startRequest() {
    return dispatcher.startHttpServer(TestRequests.get("/p", null, TRACEPARENT, "req-42"));
  }

  @Test
  void aRequestInFlightWhenTheAgentIsDetachedLeavesNoIdsAndNoContextBehind() {
    dispatcher.correlateLogs(new LogCorrelation());
    io.redwing.bootstrap.Operations.install(dispatcher);
    Operation op;
    try {
      op =
          io.redwing.bootstrap.Operations.startHttpServer(
              TestRequests.get("/p", null, TRACEPARENT, "req-42"));
      assertThat(org.slf4j.MDC.get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(io.opentelemetry.api.trace.Span.current().getSpanContext().isValid()).isTrue();
    } finally {
      io.redwing.bootstrap.Operations.uninstall();
    }

    io.redwing.bootstrap.Operations.endHttpServer(op, 200, "/p", null);

    assertThat(org.slf4j.MDC.get("trace_id")).isNull();
    assertThat(org.slf4j.MDC.get("request_id")).isNull();
    assertThat(io.opentelemetry.api.trace.Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void aWebApplicationsClassLoaderIsNotKeptOnceItIsGone() throws Exception {
    LogCorrelation correlation = new LogCorrelation();
    URL slf4j = org.slf4j.MDC.class.getProtectionDomain().getCodeSource().getLocation();
    WeakReference<ClassLoader> undeployed = requestIn(correlation, slf4j);
    // the next request comes from another application
    WeakReference<ClassLoader> running = requestIn(correlation, slf4j);

    for (int i = 0; i < 100 && undeployed.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(undeployed.get()).as("the undeployed application's loader").isNull();
    assertThat(running).isNotNull();
  }

  /** A request on a thread whose context loader is a new one holding its own slf4j MDC class. */
  private static WeakReference<ClassLoader> requestIn(LogCorrelation correlation, URL slf4j)
      throws Exception {
    URLClassLoader loader = new URLClassLoader(new URL[] {slf4j}, null);
    assertThat(Class.forName("org.slf4j.MDC", false, loader).getClassLoader()).isSameAs(loader);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      SpanContext span =
          SpanContext.create(
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "00f067aa0ba902b7",
              TraceFlags.getSampled(),
              TraceState.getDefault());
      correlation.wrap(() -> {}, span, "req-1").close();
    } finally {
      thread.setContextClassLoader(previous);
    }
    loader.close();
    return new WeakReference<>(loader);
  }

  @Test
  void logbackLinesInsideARequestCarryItsIdsAndNoneAfter() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    ch.qos.logback.classic.Logger logger = context.getLogger("io.redwing.testapp.Logback");
    logger.addAppender(appender);
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern(PATTERN);
    layout.start();
    dispatcher.correlateLogs(new LogCorrelation());

    Operation op = startRequest();
    logger.info("inside");
    String spanId = io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId();
    dispatcher.endHttpServer(op, 200, "/p", null);
    logger.info("after");

    List<String> lines = appender.list.stream().map(layout::doLayout).collect(Collectors.toList());
    assertThat(lines)
        .containsExactly(
            "4bf92f3577b34da6a3ce929d0e0e4736|" + spanId + "|req-42|inside", "|||after");
    assertThat(spanId).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
  }

  @Test
  void eachRequestUsesTheLoggingOfItsOwnContextClassLoader() {
    dispatcher.correlateLogs(new LogCorrelation());
    Thread thread = Thread.currentThread();
    ClassLoader application = thread.getContextClassLoader();
    // a loader that sees no logging library, like a web application that bundles none
    ClassLoader bare = new java.net.URLClassLoader(new java.net.URL[0], null);
    try {
      for (int i = 0; i < 2; i++) {
        thread.setContextClassLoader(bare);
        Operation op = startRequest();
        assertThat(org.slf4j.MDC.get(LogCorrelation.TRACE_ID)).as("bare, round %d", i).isNull();
        dispatcher.endHttpServer(op, 200, "/p", null);

        thread.setContextClassLoader(application);
        op = startRequest();
        assertThat(org.slf4j.MDC.get(LogCorrelation.TRACE_ID))
            .as("application, round %d", i)
            .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        dispatcher.endHttpServer(op, 200, "/p", null);
        assertThat(org.slf4j.MDC.get(LogCorrelation.TRACE_ID)).isNull();
      }
    } finally {
      thread.setContextClassLoader(application);
    }
  }

  @Test
  void log4jLinesInsideARequestCarryItsIdsAndNoneAfter() {
    org.apache.logging.log4j.core.LoggerContext context =
        (org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    StringWriter out = new StringWriter();
    Builder layout = org.apache.logging.log4j.core.layout.PatternLayout.newBuilder();
    Appender appender =
        WriterAppender.newBuilder()
            .setName("correlation-test")
            .setLayout(layout.withPattern(PATTERN + "%n").withConfiguration(config).build())
            .setTarget(out)
            .build();
    appender.start();
    config.getRootLogger().addAppender(appender, Level.INFO, null);
    config.getRootLogger().setLevel(Level.INFO);
    context.updateLoggers();
    org.apache.logging.log4j.Logger logger = LogManager.getLogger("io.redwing.testapp.Log4j");
    dispatcher.correlateLogs(new LogCorrelation());

    Operation op = startRequest();
    logger.info("inside");
    dispatcher.endHttpServer(op, 200, "/p", null);
    logger.info("after");
    config.getRootLogger().removeAppender("correlation-test");

    assertThat(out.toString().lines())
        .hasSize(2)
        .first()
        .satisfies(
            l ->
                assertThat(l)
                    .matches("4bf92f3577b34da6a3ce929d0e0e4736\\|[0-9a-f]{16}\\|req-42\\|inside"));
    assertThat(out.toString().lines()).last().isEqualTo("|||after");
  }

  @Test
  void switchedOffNothingReachesTheMdc() {
    Operation op = startRequest();
    assertThat(org.slf4j.MDC.get(LogCorrelation.TRACE_ID)).isNull();
    assertThat(org.apache.logging.log4j.ThreadContext.get(LogCorrelation.TRACE_ID)).isNull();
    dispatcher.endHttpServer(op, 200, "/p", null);
  }
}
