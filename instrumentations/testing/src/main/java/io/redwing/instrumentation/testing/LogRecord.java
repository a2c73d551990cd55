package io.redwing.instrumentation.testing;

/**
 * A log record as advice handed it to the agent: OpenTelemetry's severity number, the logger's
 * name, the formatted message, the throwable, the thread that logged it and the context current
 * there (what {@link InstrumentationExtension#makeCurrent} made current, or null).
 */
public record LogRecord(
    int severity, String logger, String message, Throwable error, Thread thread, Object context) {}
