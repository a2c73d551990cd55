package io.redwing.instrumentation.testing;

/**
 * A log record as advice handed it to the agent: OpenTelemetry's severity number, the logger's
 * name, the formatted message, the throwable and the thread that logged it.
 */
public record LogRecord(
    int severity, String logger, String message, Throwable error, Thread thread) {}
