package io.redwing.instrumentation.testing;

import io.redwing.instrumentation.api.Installer;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/** Which types our instrumentations transformed, and which transformations failed. */
final class TransformEvents implements Installer.Events {
  private static final TypePool TYPES = TypePool.Default.ofSystemLoader();

  private final Map<String, Set<String>> transformed = new ConcurrentHashMap<>();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();

  record Failure(String typeName, Throwable error) {}

  @Override
  public void transformed(String instrumentation, String typeName) {
    transformed.computeIfAbsent(typeName, t -> ConcurrentHashMap.newKeySet()).add(instrumentation);
  }

  @Override
  public void failed(String typeName, Throwable error) {
    failures.add(new Failure(typeName, error));
  }

  /**
   * Failures of types one of our instrumentations matched. Others are the type pool failing to
   * describe some unrelated class while a hierarchy matcher looked at it: not our concern here.
   */
  List<Failure> takeFailures(List<TypeInstrumentation> instrumentations) {
    List<Failure> taken = new ArrayList<>(failures);
    failures.removeAll(taken);
    taken.removeIf(f -> !matched(f.typeName(), instrumentations));
    return taken;
  }

  // A failing advice transformer stops the chain before our reporting one, so ask the matchers.
  private boolean matched(String typeName, List<TypeInstrumentation> instrumentations) {
    if (transformed.containsKey(typeName)) {
      return true;
    }
    try {
      TypeDescription type = TYPES.describe(typeName).resolve();
      return instrumentations.stream().anyMatch(i -> i.typeMatcher().matches(type));
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  Set<String> transformedTypes() {
    return Set.copyOf(transformed.keySet());
  }
}
