package io.redwing.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.redwing.agent.config.ConfigSources;
import io.redwing.bootstrap.LogRecords;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogRecordExportTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
  private final SdkLoggerProvider provider =
      SdkLoggerProvider.builder()
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported))
          .build();
  private final ApplicationLogs logs =
      new ApplicationLogs(null, 0, LogRecordExport.to(provider), LogRecords.INFO);

  @AfterEach
  void close() {
    provider.close();
  }

  private static final Span SERVER_SPAN =
      Span.wrap(
          SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));

  private LogRecordData only() {
    return assertThat(exported.getFinishedLogRecordItems()).singleElement().actual();
  }

  @Test
  void aRecordLoggedWhileASpanIsCurrentCarriesItsTraceAndSpanIds() {
    try (Scope ignored = SERVER_SPAN.makeCurrent()) {
      logs.record(LogRecords.WARN, "app.Orders", "stock is low for order 7", null);
    }

    LogRecordData record = only();
    assertThat(record.getSeverity()).isEqualTo(Severity.WARN);
    assertThat(record.getSeverityText()).isEqualTo("WARN");
    assertThat(record.getBodyValue().asString()).isEqualTo("stock is low for order 7");
    assertThat(record.getInstrumentationScopeInfo().getName()).isEqualTo("app.Orders");
    assertThat(record.getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(record.getSpanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(record.getTimestampEpochNanos()).isPositive();
    assertThat(record.getAttributes().isEmpty()).isTrue();
  }

  @Test
  void aRecordLoggedOutsideASpanHasNoTraceContext() {
    logs.record(LogRecords.INFO, "app.Jobs", "nightly job done", null);

    assertThat(only().getSpanContext().isValid()).isFalse();
  }

  @Test
  void anExceptionBecomesTheSemanticConventionsAttributesWithSecretsScrubbed() {
    IllegalStateException error =
        new IllegalStateException("calling https://admin:hunter2@pay.example/charge failed");

    logs.record(LogRecords.ERROR, "app.Payments", "payment failed for password=hunter2", error);

    LogRecordData record = only();
    assertThat(record.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(record.getBodyValue().asString())
        .isEqualTo("payment failed for password=[Filtered]");
    assertThat(record.getAttributes().get(LogRecordExport.EXCEPTION_TYPE))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(record.getAttributes().get(LogRecordExport.EXCEPTION_MESSAGE))
        .isEqualTo("calling https://[Filtered]@pay.example/charge failed");
    assertThat(record.getAttributes().get(LogRecordExport.EXCEPTION_STACKTRACE))
        .startsWith("java.lang.IllegalStateException: calling https://[Filtered]@pay.example")
        .contains("at " + LogRecordExportTest.class.getName())
        .doesNotContain("hunter2");
  }

  @Test
  void anExceptionThatQuotesAStatementGoesOutAsTheDriversCodes() {
    SQLException driver =
        new SQLException("Duplicate entry 'S3cret-ssn' for key 'users.ssn'", "23000", 1062);
    IllegalStateException wrapper = new IllegalStateException(driver.getMessage(), driver);

    logs.record(LogRecords.ERROR, "app.Users", "registration failed", wrapper);

    LogRecordData record = only();
    assertThat(record.getAttributes().get(LogRecordExport.EXCEPTION_MESSAGE))
        .isEqualTo("caused by java.sql.SQLException, SQLState 23000, vendor code 1062");
    assertThat(record.getAttributes().get(LogRecordExport.EXCEPTION_STACKTRACE))
        .startsWith("java.lang.IllegalStateException: caused by java.sql.SQLException")
        .contains("at " + LogRecordExportTest.class.getName())
        .doesNotContain("S3cret");
  }

  @Test
  void recordsBelowTheExportSeverityAreNotExported() {
    ApplicationLogs warnAndAbove =
        new ApplicationLogs(null, 0, LogRecordExport.to(provider), LogRecords.WARN);

    warnAndAbove.record(LogRecords.DEBUG, "app.Orders", "cache miss", null);
    warnAndAbove.record(LogRecords.INFO, "app.Orders", "order 7 placed", null);
    warnAndAbove.record(LogRecords.WARN, "app.Orders", "stock is low", null);

    assertThat(only().getBodyValue().asString()).isEqualTo("stock is low");
  }

  @Test
  void theAgentsOwnLoggersAreNotExported() {
    logs.record(LogRecords.ERROR, "io.redwing.shaded.io.opentelemetry.Exporter", "failed", null);

    assertThat(exported.getFinishedLogRecordItems()).isEmpty();
  }

  @Test
  void loggersBeyondTheScopeLimitShareTheOverflowScopeAndKeepTheirName() {
    LogRecordExport export = LogRecordExport.to(provider);
    for (int i = 0; i < LogRecordExport.SCOPE_LIMIT; i++) {
      export.emit(LogRecords.INFO, "app.Logger" + i, "m", null);
    }
    exported.reset();

    export.emit(LogRecords.INFO, "app.OneTooMany", "m", null);
    export.emit(LogRecords.INFO, "app.Logger3", "m", null);

    List<LogRecordData> records = exported.getFinishedLogRecordItems();
    assertThat(records.get(0).getInstrumentationScopeInfo().getName())
        .isEqualTo(LogRecordExport.OVERFLOW_SCOPE);
    assertThat(records.get(0).getAttributes().get(LogRecordExport.LOGGER_NAME))
        .isEqualTo("app.OneTooMany");
    assertThat(records.get(1).getInstrumentationScopeInfo().getName()).isEqualTo("app.Logger3");
  }

  @Test
  void theExportLevelIsReadFromTheEnvironmentAndABadOneFallsBackToInfo() {
    List<String> problems = new ArrayList<>();

    assertThat(LogRecordExport.severity(sources(Map.of()), problems::add))
        .isEqualTo(LogRecords.INFO);
    assertThat(
            LogRecordExport.severity(
                sources(Map.of("REDWING_LOGS_EXPORT_LEVEL", "Warn")), problems::add))
        .isEqualTo(LogRecords.WARN);
    assertThat(problems).isEmpty();
    assertThat(
            LogRecordExport.severity(
                sources(Map.of("REDWING_LOGS_EXPORT_LEVEL", "loud")), problems::add))
        .isEqualTo(LogRecords.INFO);
    assertThat(problems)
        .containsExactly(
            "REDWING_LOGS_EXPORT_LEVEL=\"loud\" is not trace, debug, info, warn or error;"
                + " using info");
  }

  @Test
  void withoutALoggerProviderNothingIsExported() {
    assertThat(LogRecordExport.to(null)).isNull();
  }

  private static ConfigSources sources(Map<String, String> env) {
    return ConfigSources.merge(null, Map.of(), env, problem -> {});
  }
}
