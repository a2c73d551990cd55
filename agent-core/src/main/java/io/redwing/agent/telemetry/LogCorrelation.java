package io.redwing.agent.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Puts {@code trace_id}, {@code span_id} and {@code request_id} into the application's own SLF4J
 * MDC and Log4j2 ThreadContext while a server span is current on the thread, and takes them out
 * when it stops being current. The classes are looked up in the request thread's context class
 * loader (the web application's), never in the agent's.
 */
public final class LogCorrelation {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String REQUEST_ID = "request_id";

  /** Class names and their static {@code put(String, String)} / {@code remove(String)}. */
  private static final String[] CONTEXT_MAPS = {
    "org.slf4j.MDC", "org.apache.logging.log4j.ThreadContext"
  };

  private static final MethodType PUT =
      MethodType.methodType(void.class, String.class, String.class);
  private static final MethodType REMOVE = MethodType.methodType(void.class, String.class);

  /** Per class loader: the put/remove pairs found there; weak, so web apps can be undeployed. */
  private final Map<ClassLoader, List<MethodHandle[]>> byLoader =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Puts the ids now; the returned scope removes them, then closes {@code scope}. */
  Scope wrap(Scope scope, SpanContext span, String requestId) {
    if (!span.isValid()) {
      return scope;
    }
    List<MethodHandle[]> maps = contextMaps(Thread.currentThread().getContextClassLoader());
    if (maps.isEmpty()) {
      return scope;
    }
    for (MethodHandle[] map : maps) {
      invoke(map[0], TRACE_ID, span.getTraceId());
      invoke(map[0], SPAN_ID, span.getSpanId());
      if (requestId != null) {
        invoke(map[0], REQUEST_ID, requestId);
      }
    }
    return () -> {
      try {
        for (MethodHandle[] map : maps) {
          invoke(map[1], TRACE_ID, null);
          invoke(map[1], SPAN_ID, null);
          invoke(map[1], REQUEST_ID, null);
        }
      } finally {
        scope.close();
      }
    };
  }

  /**
   * The last loader's maps, read without the synchronized map's lock: nearly every request of an
   * application runs with the same context class loader, and every request thread took that lock.
   */
  private volatile LastLoader last = new LastLoader(null, List.of());

  private List<MethodHandle[]> contextMaps(ClassLoader loader) {
    ClassLoader key = loader != null ? loader : ClassLoader.getSystemClassLoader();
    LastLoader recent = last;
    if (recent.get() == key) {
      return recent.maps;
    }
    List<MethodHandle[]> found = byLoader.get(key);
    if (found == null) {
      found = lookUp(key);
      byLoader.put(key, found);
    }
    last = new LastLoader(key, found);
    return found;
  }

  /** Weak, like the map: a web application's loader must stay collectable once undeployed. */
  private static final class LastLoader extends WeakReference<ClassLoader> {
    final List<MethodHandle[]> maps;

    LastLoader(ClassLoader loader, List<MethodHandle[]> maps) {
      super(loader);
      this.maps = maps;
    }
  }

  private static List<MethodHandle[]> lookUp(ClassLoader loader) {
    List<MethodHandle[]> result = new ArrayList<>(2);
    for (String name : CONTEXT_MAPS) {
      try {
        Class<?> type = Class.forName(name, false, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        result.add(
            new MethodHandle[] {
              lookup.findStatic(type, "put", PUT), lookup.findStatic(type, "remove", REMOVE)
            });
      } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
        // this logging library is not in the application: nothing to correlate there
      }
    }
    return Collections.unmodifiableList(result);
  }

  @SuppressWarnings("CatchingUnchecked")
  private static void invoke(MethodHandle handle, String key, String value) {
    try {
      // exact types: the handles are (String)void and (String, String)void, and invoke() would
      // adapt the call type on every request
      if (value == null) {
        handle.invokeExact(key);
      } else {
        handle.invokeExact(key, value);
      }
    } catch (Throwable t) {
      // the application's logging misbehaves: it must not fail the request
    }
  }
}
