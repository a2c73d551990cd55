package io.redwing.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The logging libraries' levels as OpenTelemetry severity numbers (1 TRACE, 5 DEBUG, 9 INFO, 13
 * WARN, 17 ERROR, 21 FATAL), so that advice hands over the level's plain int and never branches.
 */
public final class LogRecords {
  public static final int TRACE = 1;
  public static final int DEBUG = 5;
  public static final int INFO = 9;
  public static final int WARN = 13;
  public static final int ERROR = 17;
  public static final int FATAL = 21;

  /** Logback keeps a record's throwable behind a proxy; its {@code getThrowable()}, per class. */
  private static final ClassValue<MethodHandle> GET_THROWABLE =
      new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          try {
            return MethodHandles.publicLookup()
                .findVirtual(type, "getThrowable", MethodType.methodType(Throwable.class));
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a proxy without the original (a deserialised event): no throwable
          }
        }
      };

  /**
   * Inside a Log4j2 async logger's call on the logging thread: it has handed the record over, and
   * the synchronous fallback it may take (ring buffer full) reaches LoggerConfig, which must not.
   */
  private static final CallDepth ASYNC_LOG4J = new CallDepth();

  private LogRecords() {}

  /** A Logback event: {@code level} is {@code Level.toInt()} (40000 ERROR ... 5000 TRACE). */
  public static void logback(int level, String logger, String message, Object throwableProxy) {
    if (!Operations.installed()) {
      return;
    }
    Operations.logRecord(logbackSeverity(level), logger, message, throwable(throwableProxy));
  }

  /** A Log4j2 event: {@code intLevel} is {@code Level.intLevel()} (200 ERROR ... 600 TRACE). */
  public static void log4j(int intLevel, String logger, String message, Throwable error) {
    if (!Operations.installed() || ASYNC_LOG4J.inside()) {
      return;
    }
    Operations.logRecord(log4jSeverity(intLevel), logger, message, error);
  }

  /**
   * A Log4j2 async logger's event, on the thread that logged it (before the ring buffer takes it to
   * the background thread, where the request's span is not current); pair with {@link
   * #log4jAsyncEnd()}.
   */
  public static void log4jAsync(int intLevel, String logger, String message, Throwable error) {
    if (ASYNC_LOG4J.enter() && Operations.installed()) {
      Operations.logRecord(log4jSeverity(intLevel), logger, message, error);
    }
  }

  public static void log4jAsyncEnd() {
    ASYNC_LOG4J.exit();
  }

  static int logbackSeverity(int level) {
    if (level >= 40_000) {
      return ERROR;
    }
    if (level >= 30_000) {
      return WARN;
    }
    if (level >= 20_000) {
      return INFO;
    }
    return level >= 10_000 ? DEBUG : TRACE;
  }

  /** Log4j2 counts the other way round, and custom levels fall between the standard ones. */
  static int log4jSeverity(int intLevel) {
    if (intLevel <= 100) {
      return FATAL;
    }
    if (intLevel <= 200) {
      return ERROR;
    }
    if (intLevel <= 300) {
      return WARN;
    }
    if (intLevel <= 400) {
      return INFO;
    }
    return intLevel <= 500 ? DEBUG : TRACE;
  }

  @SuppressWarnings("CatchingUnchecked")
  private static Throwable throwable(Object proxy) {
    if (proxy == null) {
      return null;
    }
    MethodHandle getter = GET_THROWABLE.get(proxy.getClass());
    if (getter == null) {
      return null;
    }
    try {
      return (Throwable) getter.invoke(proxy);
    } catch (Throwable t) {
      return null;
    }
  }
}
