package io.redwing.agent;

import io.opentelemetry.api.OpenTelemetry;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.config.SecretMask;
import io.redwing.agent.control.LiveInstrumentation;
import io.redwing.agent.control.RunningAgent;
import io.redwing.agent.endpoint.AgentStatus;
import io.redwing.agent.endpoint.EndpointSecurity;
import io.redwing.agent.endpoint.MetricsEndpoint;
import io.redwing.agent.errors.ErrorReporter;
import io.redwing.agent.errors.SentrySettings;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.log.LibraryLogBridge;
import io.redwing.agent.logs.ApplicationLogs;
import io.redwing.agent.logs.JulLogHandler;
import io.redwing.agent.logs.LogRecordExport;
import io.redwing.agent.telemetry.DbPoolTimings;
import io.redwing.agent.telemetry.DependencyHealth;
import io.redwing.agent.telemetry.JvmCpuMetrics;
import io.redwing.agent.telemetry.LogCorrelation;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.agent.telemetry.SharedJvmMetrics;
import io.redwing.agent.telemetry.TracingSdk;
import io.redwing.agent.telemetry.sql.DbPoolMetrics;
import io.redwing.agent.telemetry.sql.PreparedStatementSql;
import io.redwing.bootstrap.DbPools;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.Installer;
import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.methods.MethodTracing;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** Builds and wires everything, in order, once the bootstrap jar is on the boot class path. */
final class AgentComponents {
  private AgentComponents() {}

  static void start(String agentArgs, Instrumentation instrumentation, boolean attached) {
    long started = System.nanoTime();
    String version = AgentVersion.get();
    AgentStatus status = new AgentStatus(version);

    AgentLog.Held settingProblems = new AgentLog.Held();
    ConfigSources sources = ConfigSources.read(agentArgs, settingProblems);
    RedwingConfig config = RedwingConfig.from(sources, settingProblems);
    AgentLog.setLevel(config.logLevel());
    AgentLog.setJson(config.logsJson());
    settingProblems.release();

    long phase = System.nanoTime();
    RedMetrics metrics =
        new RedMetrics(version, config.cardinalityLimit(), config.nativeHistograms());
    try {
      SharedJvmMetrics.registerOn(metrics.registry());
    } catch (RuntimeException e) {
      AgentLog.warn("JVM metrics are not available", e);
    }
    DbPoolMetrics.register(metrics.registry());
    DbPools.install(new DbPoolTimings(metrics, config.cardinalityLimit(), DbPoolMetrics::poolName));
    JdbcCalls.install(PreparedStatementSql::read);
    JvmCpuMetrics.register(metrics.registry());
    phase = took("config and metrics", phase);
    String api = OpenTelemetry.class.getPackageName(); // relocated in the agent jar
    LibraryLogBridge.install(api.substring(0, api.lastIndexOf('.')));
    LibraryLogBridge.exportsTo(
        Map.of("span", config.otlpEndpoint("traces"), "log", config.otlpEndpoint("logs")));
    TracingSdk sdk = TracingSdk.create(config, metrics);
    phase = took("OpenTelemetry SDK", phase);
    status.exporterState(sdk.exporterState());

    OperationDispatcher dispatcher =
        new OperationDispatcher(
            metrics,
            sdk.openTelemetry(),
            version,
            config.sanitizedQueryParameters(),
            config.requestIdEnabled());
    SentrySettings sentry = SentrySettings.from(sources, AgentLog::warn);
    ErrorReporter reporter = ErrorReporter.start(sentry, config.serviceName(), version);
    dispatcher.reportErrorsTo(reporter);
    dispatcher.routeLogs(
        ApplicationLogs.start(
            reporter,
            sentry.logSeverity(),
            LogRecordExport.to(sdk.logsBridge()),
            LogRecordExport.severity(sources, AgentLog::warn)));
    phase = took("Sentry", phase);
    if (config.logCorrelationEnabled()) {
      dispatcher.correlateLogs(new LogCorrelation());
    }
    Operations.inboundPropagationFields(sdk.inboundFields());
    Operations.install(dispatcher);
    DependencyHealth dependencies = dispatcher.dependencies();
    dependencies.register(metrics.registry());
    status.details(
        () -> "\"dependencies\":" + dependencies.toJson() + ",\"pools\":" + DbPoolMetrics.toJson());

    LiveInstrumentation live =
        new LiveInstrumentation(
            instrumentation,
            AgentComponents::instrumentationNames,
            AgentComponents::enabledInstrumentations,
            status,
            new InstallEvents(metrics),
            LiveInstrumentation.threshold(sources));
    dispatcher.onAdviceFailure(live::adviceFailed);
    live.install(config);
    List<String> names = status.instrumentations();
    ScheduledExecutorService typeCacheRelease = TypeCacheRelease.schedule();
    phase = took("instrumentation", phase);

    MetricsEndpoint endpoint = null;
    EndpointSecurity security = EndpointSecurity.none();
    if (config.prometheusEnabled()) {
      security = EndpointSecurity.from(sources, AgentLog::warn);
      endpoint =
          MetricsEndpoint.start(
              config.prometheusHost(),
              config.prometheusPort(),
              metrics.registry(),
              status,
              security);
    }
    took("endpoint", phase);
    AgentThreads.claimLibraryThreads();
    MetricsEndpoint served = endpoint;
    new RunningAgent(
            version,
            attached,
            sources,
            status,
            live,
            dispatcher,
            sdk,
            endpoint != null
                ? security.scheme()
                    + "://"
                    + config.prometheusHost()
                    + ":"
                    + endpoint.port()
                    + "/metrics"
                : "not served",
            reporter != null ? "Sentry (" + SecretMask.MASK + ")" : "not sent (no SENTRY_DSN)")
        .stopsWith(sdk)
        .stopsWith(
            () -> {
              if (reporter != null) {
                reporter.close();
              }
            })
        .stopsWith(
            () -> {
              if (served != null) {
                served.close();
              }
            })
        .stopsWith(LibraryLogBridge::uninstall)
        .stopsWith(JulLogHandler::uninstall)
        .stopsWith(typeCacheRelease::shutdownNow)
        .publish();
    AgentLog.info(
        "agent "
            + version
            + (attached ? " attached" : " started")
            + " in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms"
            + cpuTime()
            + ": service "
            + config.serviceName()
            + ", instrumentations "
            + names
            + ", metrics "
            + (endpoint != null
                ? "on "
                    + security.scheme()
                    + "://"
                    + config.prometheusHost()
                    + ":"
                    + endpoint.port()
                    + "/metrics"
                    + security.describe()
                : "not served")
            + ", traces "
            + sdk.exporterState());
  }

  /** This thread's CPU time so far: on a busy machine the wall time says little about our cost. */
  private static String cpuTime() {
    try {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long nanos =
          threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
      return nanos < 0 ? "" : " (" + nanos / 1_000_000 + " ms CPU)";
    } catch (RuntimeException | LinkageError e) {
      return ""; // java.management is an optional module
    }
  }

  private static long took(String what, long since) {
    long now = System.nanoTime();
    AgentLog.debug(what + " took " + (now - since) / 1_000_000 + " ms");
    return now;
  }

  static List<TypeInstrumentation> enabledInstrumentations(RedwingConfig config) {
    List<TypeInstrumentation> result = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (TypeInstrumentation ti : allInstrumentations()) {
      if (config.instrumentationEnabled(ti.name())) {
        result.add(ti);
      } else if (reported.add(ti.name())) { // a family has several under one name: say it once
        AgentLog.info("instrumentation " + ti.name() + " is switched off");
      }
    }
    if (config.instrumentationEnabled(MethodTracing.NAME)) {
      result.addAll(MethodTracing.instrumentations(config.methodsInclude(), AgentLog::warn));
    }
    return result;
  }

  /** Every name {@code status} and {@code set} know, with method tracing's built from config. */
  static List<String> instrumentationNames() {
    List<String> names = new ArrayList<>();
    for (TypeInstrumentation ti : allInstrumentations()) {
      if (!names.contains(ti.name())) {
        names.add(ti.name());
      }
    }
    names.add(MethodTracing.NAME);
    return names;
  }

  static List<TypeInstrumentation> allInstrumentations() {
    List<TypeInstrumentation> result = new ArrayList<>();
    ServiceLoader<TypeInstrumentation> loader =
        ServiceLoader.load(TypeInstrumentation.class, AgentComponents.class.getClassLoader());
    for (java.util.Iterator<TypeInstrumentation> it = loader.iterator(); ; ) {
      try {
        if (!it.hasNext()) {
          break;
        }
        result.add(it.next());
      } catch (ServiceConfigurationError e) {
        AgentLog.warn("an instrumentation could not be loaded", e);
      }
    }
    return result;
  }

  /**
   * Transform results go to the agent's log (failures once per type, successes at debug), and an
   * instrumentation that applies gets its advice-error count at zero.
   */
  private static final class InstallEvents implements Installer.Events {
    private final RedMetrics metrics;

    InstallEvents(RedMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void transformed(String instrumentation, String typeName) {
      metrics.instrumentationApplied(instrumentation);
      if (AgentLog.debugEnabled()) {
        AgentLog.debug(instrumentation + " instrumented " + typeName);
      }
    }

    @Override
    public void failed(String typeName, Throwable error) {
      AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName, error);
    }
  }
}
