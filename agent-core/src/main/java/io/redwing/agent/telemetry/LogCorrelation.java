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

  /**
   * Per class loader, the context map classes found there. Held weakly at both ends: a handle on
   * {@code MDC.put} reaches its class and so the loader, and a map value that did would keep its
   * own key, and every undeployed web application with it, alive.
   */
  private final Map<ClassLoader, List<WeakReference<Class<?>>>> byLoader =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** A context map class's put/remove pair, stored on the class itself, which it cannot pin. */
  private static final ClassValue<MethodHandle[]> HANDLES =
      new ClassValue<MethodHandle[]>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
          try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new MethodHandle[] {
              lookup.findStatic(type, "put", PUT), lookup.findStatic(type, "remove", REMOVE)
            };
          } catch (ReflectiveOperationException | SecurityException e) {
            return null;
          }
        }
      };

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
    List<WeakReference<Class<?>>> found = byLoader.get(key);
    if (found == null) {
      found = lookUp(key);
      byLoader.put(key, found);
    }
    List<MethodHandle[]> maps = handles(found);
    last = new LastLoader(key, maps);
    return maps;
  }

  /**
   * The loader itself weakly, its handles strongly, so that a request takes them without a lookup:
   * this pins at most the one loader that ran the last request, until another one does.
   */
  private static final class LastLoader extends WeakReference<ClassLoader> {
    final List<MethodHandle[]> maps;

    LastLoader(ClassLoader loader, List<MethodHandle[]> maps) {
      super(loader);
      this.maps = maps;
    }
  }

  private static List<WeakReference<Class<?>>> lookUp(ClassLoader loader) {
    List<WeakReference<Class<?>>> result = new ArrayList<>(2);
    for (String name : CONTEXT_MAPS) {
      try {
        Class<?> type = Class.forName(name, false, loader);
        if (HANDLES.get(type) != null) {
          result.add(new WeakReference<>(type));
        }
      } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
        // this logging library is not in the application: nothing to correlate there
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The put/remove pairs of classes still loaded; the usual one or two, so a small list. */
  private static List<MethodHandle[]> handles(List<WeakReference<Class<?>>> classes) {
    if (classes.isEmpty()) {
      return List.of();
    }
    List<MethodHandle[]> result = new ArrayList<>(classes.size());
    for (int i = 0; i < classes.size(); i++) {
      Class<?> type = classes.get(i).get();
      MethodHandle[] pair = type == null ? null : HANDLES.get(type);
      if (pair != null) {
        result.add(pair);
      }
    }
    return result;
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
