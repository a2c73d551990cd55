package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WeakConcurrentMapTest {

  @Test
  void findsValuesByIdentityNotByEquality() {
    WeakConcurrentMap<String, String> map = new WeakConcurrentMap<>(10);
    String key = new String("same");
    map.put(key, "value");

    assertThat(map.get(key)).isEqualTo("value");
    assertThat(map.get(new String("same"))).isNull();
  }

  @Test
  void takeReturnsTheValueOnceAndLeavesTheMapEmpty() {
    WeakConcurrentMap<Object, String> map = new WeakConcurrentMap<>(10);
    Object key = new Object();
    assertThat(map.isEmpty()).isTrue();
    map.put(key, "context");

    assertThat(map.isEmpty()).isFalse();
    assertThat(map.take(key)).isEqualTo("context");
    assertThat(map.take(key)).isNull();
    assertThat(map.take(null)).isNull();
    assertThat(map.isEmpty()).isTrue();
  }

  @Test
  void acceptsNullsWithoutRememberingThem() {
    WeakConcurrentMap<Object, String> map = new WeakConcurrentMap<>(10);

    assertThat(map.put(null, "v")).isFalse();
    assertThat(map.put(new Object(), null)).isFalse();
    assertThat(map.get(null)).isNull();
    assertThat(map.getOrPut(null, "v")).isNull();
    assertThat(map.size()).isZero();
  }

  @Test
  void stopsRememberingNewKeysWhenFull() {
    WeakConcurrentMap<Object, Integer> map = new WeakConcurrentMap<>(3);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Object key = new Object();
      keys.add(key);
      map.put(key, i);
    }

    assertThat(map.size()).isEqualTo(3);
    assertThat(map.get(keys.get(2))).isEqualTo(2);
    assertThat(map.get(keys.get(3))).isNull();
    assertThat(map.getOrPut(keys.get(4), 4)).isNull();
    assertThat(map.getOrPut(keys.get(0), 9)).isZero();
  }

  @Test
  void dropsEntriesOnceTheirKeyIsCollected() {
    WeakConcurrentMap<Object, byte[]> map = new WeakConcurrentMap<>(1_000);
    for (int i = 0; i < 100; i++) {
      map.put(new Object(), new byte[16]);
    }
    Object kept = new Object();
    map.put(kept, new byte[1]);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (map.size() > 1 && System.nanoTime() < deadline) {
      System.gc();
    }

    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).hasSize(1);
  }

  @Test
  void aKeyOnlyLookedUpIsNotKeptAlive() {
    WeakConcurrentMap<Object, String> map = new WeakConcurrentMap<>(10);
    map.put(new Object(), "other");
    Object looked = new Object();
    map.get(looked);
    map.take(looked);
    java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(looked);
    looked = null;

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
    }

    assertThat(ref.get()).as("the reused lookup key let go of it").isNull();
  }

  @Test
  void listsItsLiveKeys() {
    WeakConcurrentMap<Object, String> map = new WeakConcurrentMap<>(10);
    Object a = new Object();
    Object b = new Object();
    map.put(a, "a");
    map.put(b, "b");

    assertThat(map.keys()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void givesEveryThreadTheSameValueForAKey() throws Exception {
    WeakConcurrentMap<Object, Object> map = new WeakConcurrentMap<>(100);
    Object key = new Object();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object>> held = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        held.add(
            pool.submit(
                () -> {
                  start.await();
                  return map.getOrPut(key, new Object());
                }));
      }
      start.countDown();
      Object first = held.get(0).get(10, TimeUnit.SECONDS);
      for (Future<Object> f : held) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
