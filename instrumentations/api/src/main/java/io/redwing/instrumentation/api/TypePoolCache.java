package io.redwing.instrumentation.api;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions shared between class loads of the same loader. Byte Buddy's default pool starts
 * empty for every class it looks at, so matching a class's hierarchy re-reads and re-parses every
 * supertype each time: at start-up, most of the agent's cost. Each loader's cache is bounded and
 * simply starts over when full, so it never grows with the application; {@link #releaseIdle} drops
 * the caches of loaders that stopped loading classes, which held most of the heap the agent kept
 * after start-up (some 20 MB of parsed type descriptions in the demo). Beside them it keeps each
 * loader's {@link ClassHeaders}, for {@link HierarchyMatchers}.
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
  static final int MAX_TYPES_PER_LOADER = 4_096;

  /** Every cache an installer made, so that {@link #releaseIdle} can reach them; weakly held. */
  private static final Set<TypePoolCache> INSTANCES =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** The bootstrap loader is {@code null}, which a map cannot hold as a key. */
  private static final Object BOOTSTRAP = new Object();

  private final Map<Object, Bounded> caches = new WeakHashMap<>();

  TypePoolCache() {
    super(TypePool.Default.ReaderMode.FAST);
    INSTANCES.add(this);
  }

  // Byte Buddy's pool strategies are equal by configuration, so INSTANCES kept only the first cache
  // made: a second install's (after a detach and an attach) was never released.
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** Forgets the types of every loader that looked up none in the last {@code idleNanos}. */
  static void releaseIdle(long idleNanos) {
    releaseIdle(idleNanos, System.nanoTime());
  }

  static void releaseIdle(long idleNanos, long now) {
    TypePoolCache[] all;
    synchronized (INSTANCES) {
      all = INSTANCES.toArray(new TypePoolCache[0]);
    }
    for (TypePoolCache cache : all) {
      synchronized (cache.caches) {
        cache.caches.values().removeIf(types -> now - types.lastUsedNanos > idleNanos);
      }
    }
  }

  @Override
  protected Bounded locate(ClassLoader classLoader) {
    Object key = classLoader == null ? BOOTSTRAP : classLoader;
    synchronized (caches) {
      return caches.computeIfAbsent(key, k -> new Bounded());
    }
  }

  /**
   * The pool Byte Buddy describes a class being transformed with: {@code locator} holds that
   * class's bytes, so its description can answer hierarchy matchers from headers.
   */
  @Override
  public TypePool typePool(ClassFileLocator locator, ClassLoader classLoader, String name) {
    TypePool pool = super.typePool(locator, classLoader, name);
    ClassHeaders headers = locate(classLoader).headers;
    return new TypePool() {
      @Override
      public Resolution describe(String described) {
        Resolution resolution = pool.describe(described);
        if (!described.equals(name)) {
          return resolution;
        }
        return new Resolution() {
          @Override
          public boolean isResolved() {
            return resolution.isResolved();
          }

          @Override
          public TypeDescription resolve() {
            return new TransformedType(name, resolution.resolve(), locator, headers);
          }
        };
      }

      @Override
      public void clear() {
        pool.clear();
      }
    };
  }

  /** One loader's types; cleared when full rather than evicted one by one, which costs nothing. */
  static final class Bounded implements TypePool.CacheProvider {
    private final ConcurrentHashMap<String, TypePool.Resolution> types = new ConcurrentHashMap<>();
    final ClassHeaders headers = new ClassHeaders();
    // a racy write of a time is harmless: the sweep only needs a recent value
    private volatile long lastUsedNanos = System.nanoTime();

    @Override
    public TypePool.Resolution find(String name) {
      lastUsedNanos = System.nanoTime();
      return types.get(name);
    }

    @Override
    public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
      if (types.size() >= MAX_TYPES_PER_LOADER) {
        types.clear();
      }
      TypePool.Resolution known = types.putIfAbsent(name, resolution);
      return known == null ? resolution : known;
    }

    @Override
    public void clear() {
      types.clear();
      headers.clear();
    }

    int size() {
      return types.size();
    }
  }
}
