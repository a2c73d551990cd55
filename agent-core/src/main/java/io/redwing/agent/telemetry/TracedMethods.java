package io.redwing.agent.telemetry;

import io.opentelemetry.api.trace.SpanKind;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a traced method once and caches it per class: a {@link ClassValue} goes away with its
 * class, and each class's map holds at most its instrumented methods, so the cache is bounded by
 * the code, never by data. {@code @WithSpan} and {@code @SpanAttribute} are the application's
 * classes, read here by reflection and by name, never by the advice.
 */
final class TracedMethods {
  static final String WITH_SPAN = "io.opentelemetry.instrumentation.annotations.WithSpan";
  static final String SPAN_ATTRIBUTE = "io.opentelemetry.instrumentation.annotations.SpanAttribute";
  static final String OLD_WITH_SPAN = "io.opentelemetry.extension.annotations.WithSpan";
  static final String OLD_SPAN_ATTRIBUTE = "io.opentelemetry.extension.annotations.SpanAttribute";

  private final ClassValue<Map<String, TracedMethod>> listedByClass =
      new ClassValue<>() {
        @Override
        protected Map<String, TracedMethod> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  /** By name, then descriptor: no key is built per call, so a known method allocates nothing. */
  private final ClassValue<Map<String, Map<String, TracedMethod>>> annotatedByClass =
      new ClassValue<>() {
        @Override
        protected Map<String, Map<String, TracedMethod>> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  /** A method listed in {@code otel.instrumentation.methods.include}. */
  TracedMethod listed(Class<?> type, String method) {
    Map<String, TracedMethod> methods = listedByClass.get(type);
    TracedMethod known = methods.get(method);
    return known != null
        ? known
        : methods.computeIfAbsent(method, m -> TracedMethod.listed(type, m));
  }

  /** A method annotated with {@code @WithSpan}, found by its name and descriptor. */
  TracedMethod annotated(Class<?> type, String method, String descriptor) {
    Map<String, Map<String, TracedMethod>> methods = annotatedByClass.get(type);
    Map<String, TracedMethod> overloads = methods.get(method);
    TracedMethod known = overloads == null ? null : overloads.get(descriptor);
    if (known != null) {
      return known;
    }
    return methods
        .computeIfAbsent(method, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(descriptor, d -> resolve(type, method, d));
  }

  private static TracedMethod resolve(Class<?> type, String name, String descriptor) {
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(name) && descriptor(method).equals(descriptor)) {
        return fromAnnotations(type, method);
      }
    }
    return TracedMethod.listed(type, name);
  }

  private static TracedMethod fromAnnotations(Class<?> type, Method method) {
    String spanName = "";
    SpanKind kind = SpanKind.INTERNAL;
    boolean inheritContext = true;
    for (Annotation annotation : method.getDeclaredAnnotations()) {
      String annotationName = annotation.annotationType().getName();
      if (annotationName.equals(WITH_SPAN) || annotationName.equals(OLD_WITH_SPAN)) {
        Object value = element(annotation, "value");
        spanName = value instanceof String ? (String) value : "";
        kind = spanKind(element(annotation, "kind"));
        // inheritContext exists from annotations 2.14; before, every span had the current parent
        inheritContext = !Boolean.FALSE.equals(element(annotation, "inheritContext"));
      }
    }
    return new TracedMethod(
        spanName.isEmpty() ? TracedMethod.defaultSpanName(type, method.getName()) : spanName,
        kind,
        type.getName(),
        method.getName(),
        inheritContext,
        attributeNames(method));
  }

  /** Per parameter, its attribute's name, or null; null when no parameter is an attribute. */
  private static String[] attributeNames(Method method) {
    Annotation[][] annotations = method.getParameterAnnotations();
    Parameter[] parameters = method.getParameters();
    String[] names = null;
    String[] fromClassFile = null;
    boolean classFileRead = false;
    for (int i = 0; i < annotations.length && i < parameters.length; i++) {
      for (Annotation annotation : annotations[i]) {
        String annotationName = annotation.annotationType().getName();
        if (!annotationName.equals(SPAN_ATTRIBUTE) && !annotationName.equals(OLD_SPAN_ATTRIBUTE)) {
          continue;
        }
        Object value = element(annotation, "value");
        String name = value instanceof String ? (String) value : "";
        if (name.isEmpty() && parameters[i].isNamePresent()) {
          name = parameters[i].getName(); // only when compiled with -parameters; else arg0
        } else if (name.isEmpty()) {
          if (!classFileRead) {
            fromClassFile = ParameterNames.of(method);
            classFileRead = true;
          }
          name = fromClassFile == null || fromClassFile[i] == null ? "" : fromClassFile[i];
        }
        if (!name.isEmpty()) {
          if (names == null) {
            names = new String[parameters.length];
          }
          names[i] = name;
        }
      }
    }
    return names;
  }

  private static Object element(Annotation annotation, String name) {
    try {
      return annotation.annotationType().getMethod(name).invoke(annotation);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // an older annotation without this element: its default applies
    }
  }

  private static SpanKind spanKind(Object kind) {
    if (kind instanceof Enum) {
      try {
        return SpanKind.valueOf(((Enum<?>) kind).name());
      } catch (IllegalArgumentException e) {
        return SpanKind.INTERNAL;
      }
    }
    return SpanKind.INTERNAL;
  }

  /** The JVM descriptor, as Byte Buddy's {@code #d} gives it to the advice. */
  static String descriptor(Method method) {
    StringBuilder d = new StringBuilder("(");
    for (Class<?> parameter : method.getParameterTypes()) {
      d.append(descriptor(parameter));
    }
    return d.append(')').append(descriptor(method.getReturnType())).toString();
  }

  private static String descriptor(Class<?> type) {
    if (type.isArray()) {
      return type.getName().replace('.', '/');
    }
    if (!type.isPrimitive()) {
      return "L" + type.getName().replace('.', '/') + ";";
    }
    if (type == void.class) {
      return "V";
    }
    if (type == boolean.class) {
      return "Z";
    }
    if (type == long.class) {
      return "J";
    }
    return String.valueOf(Character.toUpperCase(type.getName().charAt(0)));
  }
}
