package io.redwing.agent.control;

import io.redwing.agent.AgentThreads;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.endpoint.AgentStatus;
import io.redwing.agent.log.AgentLog;
import io.redwing.instrumentation.api.Installer;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Owns what is installed in the JVM: the {@link Instrumentation}, the one Byte Buddy transformer,
 * the configuration it was built from and the instrumentations switched off (by configuration, by
 * {@code set}, or because their advice kept failing). Every change resets the transformer, which
 * returns the classes to their original bytecode, and installs a new one; changes run one at a time
 * on the daemon thread {@code redwing-control}, never on a request thread.
 */
public final class LiveInstrumentation {
  public static final String FAILURE_THRESHOLD = "redwing.instrumentation.failure.threshold";
  public static final int DEFAULT_FAILURE_THRESHOLD = 10;

  private final Instrumentation instrumentation;
  private final Function<RedwingConfig, List<TypeInstrumentation>> chooser;
  private final AgentStatus status;
  private final Installer.Events events;
  private final int threshold;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(AgentThreads.daemons("control"));
  private final Set<String> matched = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private final Map<String, String> switchedBySet = new ConcurrentHashMap<>();
  private final List<String> known;

  private volatile RedwingConfig config;
  private volatile List<String> active = List.of();
  private volatile boolean removed;

  /** Touched only by the thread that installs first and then by {@code redwing-control}. */
  private ResettableClassFileTransformer transformer;

  public LiveInstrumentation(
      Instrumentation instrumentation,
      Supplier<List<String>> names,
      Function<RedwingConfig, List<TypeInstrumentation>> chooser,
      AgentStatus status,
      Installer.Events events,
      int threshold) {
    this.instrumentation = instrumentation;
    this.chooser = chooser;
    this.status = status;
    this.threshold = threshold;
    this.events = new Matching(events, matched);
    this.known = List.copyOf(names.get());
  }

  /** The failure threshold from the configuration: a positive number, else the default. */
  public static int threshold(ConfigSources sources) {
    String value = sources.get(FAILURE_THRESHOLD);
    if (value == null) {
      return DEFAULT_FAILURE_THRESHOLD;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    AgentLog.warn(
        sources.quoted(FAILURE_THRESHOLD, value)
            + " is not a positive number; using "
            + DEFAULT_FAILURE_THRESHOLD);
    return DEFAULT_FAILURE_THRESHOLD;
  }

  /** The first installation, on the calling (start-up) thread. */
  public void install(RedwingConfig initial) {
    this.config = initial;
    reinstall();
  }

  /** Runs {@code task} on {@code redwing-control}, after every change asked for before it. */
  public <T> Future<T> submit(Callable<T> task) {
    return worker.submit(task);
  }

  /** Installs what {@code newConfig} enables, minus what failed. Call on redwing-control. */
  void reconfigure(RedwingConfig newConfig) {
    this.config = newConfig;
    reinstall();
  }

  /** Remembers that {@code set} switched {@code name} off (or back on) for {@code status}. */
  void switchedBySet(String name, boolean enabled, String reason) {
    if (enabled) {
      switchedBySet.remove(name);
      failing.remove(name);
      failures.remove(name);
    } else {
      switchedBySet.put(name, reason);
    }
  }

  /**
   * Counts a suppressed advice error of {@code name} (on the failing request's thread: cheap, never
   * blocking) and, at the threshold, schedules switching the instrumentation off.
   */
  public void adviceFailed(String name) {
    if (removed || !known.contains(name)) {
      return; // "core" and unknown names are not instrumentations one could switch off
    }
    int count = failures.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    if (count == threshold) {
      try {
        worker.execute(() -> switchOffFailing(name, count));
      } catch (RuntimeException e) {
        // the agent is being detached: nothing left to switch off
      }
    }
  }

  private void switchOffFailing(String name, int count) {
    if (removed) {
      return;
    }
    failing.put(name, "its advice failed " + count + " times (threshold " + threshold + ")");
    AgentLog.warn(
        "instrumentation "
            + name
            + " switched itself off: its advice failed "
            + count
            + " times (the threshold, "
            + FAILURE_THRESHOLD
            + "); the application and the other instrumentations keep working");
    reinstall();
  }

  /** Removes every transformation and stops {@code redwing-control}; call on redwing-control. */
  void removeAll() {
    removed = true;
    reset();
    active = List.of();
    status.instrumented(List.of());
    worker.shutdown();
  }

  /** For tests and start-up failures: removes everything from any thread, waiting for it. */
  public void close() {
    try {
      submit(
              () -> {
                removeAll();
                return null;
              })
          .get();
    } catch (Exception e) {
      AgentLog.warn("removing the instrumentation failed", e);
    }
  }

  private void reinstall() {
    reset();
    if (removed) {
      return;
    }
    List<TypeInstrumentation> chosen = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (TypeInstrumentation ti : chooser.apply(config)) {
      if (!failing.containsKey(ti.name())) {
        chosen.add(ti);
        if (!names.contains(ti.name())) {
          names.add(ti.name());
        }
      }
    }
    try {
      transformer = Installer.install(instrumentation, chosen, events);
      active = List.copyOf(names);
    } catch (RuntimeException | LinkageError e) {
      AgentLog.error("installing the instrumentation failed; the application runs without it", e);
      active = List.of();
    }
    status.instrumented(active);
    status.disabled(disabled());
  }

  private void reset() {
    ResettableClassFileTransformer current = transformer;
    transformer = null;
    if (current != null) {
      try {
        current.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
      } catch (RuntimeException e) {
        AgentLog.warn("restoring the original classes failed", e);
      }
    }
  }

  /** Every known instrumentation that is not installed now, with the reason. */
  public Map<String, String> disabled() {
    Map<String, String> result = new LinkedHashMap<>();
    List<String> on = active;
    for (String name : known) {
      if (on.contains(name)) {
        continue;
      }
      String reason = failing.get(name);
      if (reason == null) {
        reason = switchedBySet.get(name);
      }
      if (reason == null && !removed && config != null && config.instrumentationEnabled(name)) {
        continue; // switched on with nothing to instrument (method tracing with no list): idle
      }
      result.put(
          name, reason != null ? reason : removed ? "detached" : "switched off by configuration");
    }
    return result;
  }

  /**
   * Each known instrumentation: {@code active}, {@code never matched}, {@code disabled (why)} or,
   * switched on but given nothing to instrument by the configuration, {@code idle (...)}.
   */
  public Map<String, String> states() {
    Map<String, String> result = new LinkedHashMap<>();
    Map<String, String> off = disabled();
    for (String name : known) {
      if (off.containsKey(name)) {
        result.put(name, "disabled (" + off.get(name) + ")");
      } else {
        result.put(
            name,
            !active.contains(name)
                ? "idle (the configuration lists nothing for it)"
                : matched.contains(name) ? "active" : "never matched");
      }
    }
    return result;
  }

  /** Suppressed advice errors counted so far, by instrumentation. */
  public Map<String, Integer> failures() {
    Map<String, Integer> result = new LinkedHashMap<>();
    for (String name : known) {
      AtomicInteger count = failures.get(name);
      if (count != null) {
        result.put(name, count.get());
      }
    }
    return result;
  }

  /** The known name that {@code normalized} (as in a configuration key) refers to, or null. */
  String knownName(String normalized) {
    for (String name : known) {
      if (ConfigSources.normalize(name).equals(normalized)) {
        return name;
      }
    }
    return null;
  }

  List<String> known() {
    return known;
  }

  RedwingConfig config() {
    return config;
  }

  public int threshold() {
    return threshold;
  }

  /** Notes which instrumentations ever transformed a type, for "never matched". */
  private static final class Matching implements Installer.Events {
    private final Installer.Events delegate;
    private final Set<String> matched;

    Matching(Installer.Events delegate, Set<String> matched) {
      this.delegate = delegate;
      this.matched = matched;
    }

    @Override
    public void transformed(String instrumentation, String typeName) {
      matched.add(instrumentation);
      delegate.transformed(instrumentation, typeName);
    }

    @Override
    public void failed(String typeName, Throwable error) {
      delegate.failed(typeName, error);
    }
  }
}
