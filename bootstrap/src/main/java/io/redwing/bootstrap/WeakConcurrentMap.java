package io.redwing.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from application objects, by identity, to the agent's facts about them. Keys are
 * held weakly so the agent never keeps an application object alive; entries whose key was collected
 * are purged on writes. Bounded: once {@code maxSize} live entries are held, new keys are not
 * remembered, so a leak in the application cannot become a leak in the agent.
 */
public final class WeakConcurrentMap<K, V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<>();
  private final int maxSize;

  /**
   * One lookup key per thread, reused: a key handed to the map escapes the JIT's analysis, so a new
   * one per call allocated on every task an executor ran. Never used re-entrantly, since the map
   * calls only its hashCode and equals, which call nothing back.
   */
  private static final ThreadLocal<Lookup> PROBES = ThreadLocal.withInitial(Lookup::new);

  public WeakConcurrentMap(int maxSize) {
    this.maxSize = maxSize;
  }

  public V get(K key) {
    if (key == null) {
      return null;
    }
    Lookup probe = Lookup.of(key);
    try {
      return map.get(probe);
    } finally {
      probe.clear();
    }
  }

  /** Remembers {@code value} for {@code key}; false if the map is full and it was not. */
  public boolean put(K key, V value) {
    if (key == null || value == null) {
      return false;
    }
    purge();
    if (map.size() >= maxSize) {
      return false;
    }
    map.put(new WeakKey<>(key, collected), value);
    return true;
  }

  /**
   * The value already held for {@code key}, else {@code value} once put; null if the map is full.
   */
  public V getOrPut(K key, V value) {
    if (key == null || value == null) {
      return null;
    }
    V known = get(key);
    if (known != null) {
      return known;
    }
    purge();
    if (map.size() >= maxSize) {
      return null;
    }
    V raced = map.putIfAbsent(new WeakKey<>(key, collected), value);
    return raced != null ? raced : value;
  }

  public void remove(K key) {
    take(key);
  }

  /** Removes and returns the value held for {@code key}, or null. */
  public V take(K key) {
    if (key == null) {
      return null;
    }
    Lookup probe = Lookup.of(key);
    try {
      return map.remove(probe);
    } finally {
      probe.clear();
    }
  }

  /** True when no entry is held; cheaper than {@link #size()}, which purges first. */
  public boolean isEmpty() {
    return map.isEmpty();
  }

  /** The keys not collected yet, in no order; a copy. */
  public List<K> keys() {
    List<K> keys = new ArrayList<>();
    for (Object key : map.keySet()) {
      if (key instanceof WeakKey) {
        @SuppressWarnings("unchecked") // only put() and getOrPut() add keys, all of them K
        K live = ((WeakKey<K>) key).get();
        if (live != null) {
          keys.add(live);
        }
      }
    }
    return keys;
  }

  /** Live and not yet purged entries. */
  public int size() {
    purge();
    return map.size();
  }

  public void clear() {
    map.clear();
  }

  private void purge() {
    Object ref;
    while ((ref = collected.poll()) != null) {
      map.remove(ref);
    }
  }

  /** A stored key: equal to itself once collected, so that the purge still finds it. */
  private static final class WeakKey<K> extends WeakReference<K> {
    private final int hash;

    WeakKey(K referent, ReferenceQueue<K> queue) {
      super(referent, queue);
      hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      Object mine = get();
      if (mine == null) {
        return false;
      }
      if (other instanceof WeakKey) {
        return mine == ((WeakKey<?>) other).get();
      }
      return other instanceof Lookup && mine == ((Lookup) other).key;
    }
  }

  /**
   * A key to look up with, so that reads allocate no reference and touch no queue. Cleared after
   * each use, so that it never keeps an application object alive.
   */
  private static final class Lookup {
    private Object key;
    private int hash;

    static Lookup of(Object key) {
      Lookup probe = PROBES.get();
      probe.key = key;
      probe.hash = System.identityHashCode(key);
      return probe;
    }

    void clear() {
      key = null;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WeakKey && ((WeakKey<?>) other).get() == key;
    }
  }
}
