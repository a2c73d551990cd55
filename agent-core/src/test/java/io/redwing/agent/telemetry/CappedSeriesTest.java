package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CappedSeriesTest {
  private final AtomicInteger made = new AtomicInteger();
  private final AtomicInteger folded = new AtomicInteger();

  private CappedSeries<String> capped(int labels, int limit) {
    return new CappedSeries<>(
        labels,
        limit,
        values -> {
          made.incrementAndGet();
          return String.join("|", values);
        },
        () -> {
          folded.incrementAndGet();
          return "overflow";
        });
  }

  @Test
  void equalValuesFindTheSeriesMadeForTheFirstOnes() {
    CappedSeries<String> series = capped(2, 10);
    String first = series.get("GET", "200");
    // equal but not the same instances, as a route or a status read from a request would be
    String again = series.get(new String("GET"), new StringBuilder("20").append('0').toString());

    assertThat(first).isEqualTo("GET|200");
    assertThat(again).isSameAs(first);
    assertThat(made).hasValue(1);
  }

  @Test
  void setsThatDifferInAnyOneOfSevenValuesAreSeparateSeries() {
    CappedSeries<String> series = capped(7, 100);
    String[] base = {"postgresql", "SELECT", "owners", "shop", "db", "5432", ""};
    assertThat(get7(series, base)).isEqualTo(String.join("|", base));
    for (int i = 0; i < base.length; i++) {
      String[] other = base.clone();
      other[i] = other[i] + "x";
      assertThat(get7(series, other)).isEqualTo(String.join("|", other));
    }
    assertThat(series.size()).isEqualTo(8);
    assertThat(get7(series, base)).isEqualTo(String.join("|", base));
    assertThat(made).hasValue(8);
    assertThat(folded).hasValue(0);
  }

  @Test
  void nullValuesAreASetOfTheirOwn() {
    CappedSeries<String> series = capped(3, 10);
    assertThat(series.get("a", null, "c")).isEqualTo("a|null|c");
    assertThat(series.get("a", "", "c")).isEqualTo("a||c");
    assertThat(series.get("a", null, "c")).isEqualTo("a|null|c");
    assertThat(made).hasValue(2);
  }

  @Test
  void setsPastTheLimitFoldIntoTheOverflowEachTimeWhileAdmittedOnesStay() {
    CappedSeries<String> series = capped(1, 3);
    series.get("a");
    series.get("b");
    series.get("c");

    assertThat(series.get("d")).isEqualTo("overflow");
    assertThat(series.get("d")).isEqualTo("overflow");
    assertThat(series.get("e")).isEqualTo("overflow");
    assertThat(series.get("b")).isEqualTo("b");
    assertThat(series.size()).isEqualTo(3);
    assertThat(made).hasValue(3);
    assertThat(folded).hasValue(3);
  }

  @Test
  void thousandsOfSetsAreAllFoundAgainAfterTheTableGrew() {
    CappedSeries<String> series = capped(5, 5_000);
    for (int i = 0; i < 5_000; i++) {
      assertThat(series.get("GET", "200", "/r" + i, "http", ""))
          .isEqualTo("GET|200|/r" + i + "|http|");
    }
    for (int i = 0; i < 5_000; i++) {
      assertThat(series.get("GET", "200", "/r" + i, "http", ""))
          .isEqualTo("GET|200|/r" + i + "|http|");
    }
    assertThat(made).hasValue(5_000);
    assertThat(folded).hasValue(0);
  }

  @Test
  void racingThreadsMakeEachSeriesOnceAndNeverExceedTheLimit() throws Exception {
    CappedSeries<String> series = capped(2, 300);
    Map<String, String> seen = new ConcurrentHashMap<>();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 500; i++) {
                    String value = series.get("k", Integer.toString(i));
                    String previous = seen.putIfAbsent(Integer.toString(i), value);
                    assertThat(previous == null || previous.equals(value)).isTrue();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(series.size()).isEqualTo(300);
    assertThat(made).hasValue(300);
    assertThat(seen.values().stream().filter(v -> !v.equals("overflow"))).hasSize(300);
    assertThat(folded).hasValue(4 * (500 - 300));
  }

  @Test
  void findingAnAdmittedSetAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    CappedSeries<String> series = capped(7, 2_000);
    for (int i = 0; i < 100; i++) {
      series.get("postgresql", "SELECT", "t" + i, "shop", "db.example.com", "5432", "");
    }
    String table = "t" + 42;
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      series.get("postgresql", "SELECT", table, "shop", "db.example.com", "5432", "");
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // a key object or a varargs array per lookup would be at least 2.4 MB here
    assertThat(allocated).isLessThan(10_000);
  }

  private static String get7(CappedSeries<String> series, String[] v) {
    return series.get(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }
}
