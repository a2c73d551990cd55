package io.redwing.agent.telemetry;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The series of one metric by label values, at most {@code limit} distinct label sets; later new
 * ones fold into what the overflow supplier gives (for a metric, one series whose every value is
 * {@code _overflow}). Memory stays bounded by the limit.
 *
 * <p>A lookup of a series already admitted allocates nothing: the values are passed one by one (no
 * varargs array, no key object) and compared with a lock-free open-addressing table. {@code
 * labelValues(...)} of the Prometheus client builds a list and a lambda on every call, which was
 * most of the allocation per observation.
 */
final class CappedSeries<D> {
  private static final int INITIAL_CAPACITY = 16;

  private final int labelCount;
  private final int limit;
  private final Function<String[], D> series;
  private final Supplier<D> overflow;

  /** Never more than half full, so that a probe always ends on an empty slot. */
  private volatile AtomicReferenceArray<Entry<D>> table =
      new AtomicReferenceArray<>(INITIAL_CAPACITY);

  /** Set once {@code limit} sets are in: from then on the table never changes. */
  private volatile boolean full;

  private int size; // guarded by this

  /**
   * {@code series} makes the series of a label set admitted for the first time (for example {@code
   * histogram::labelValues}); {@code overflow} is called for every lookup of a set past the limit.
   */
  CappedSeries(int labelCount, int limit, Function<String[], D> series, Supplier<D> overflow) {
    this.labelCount = labelCount;
    this.limit = limit;
    this.series = series;
    this.overflow = overflow;
  }

  int size() {
    synchronized (this) {
      return size;
    }
  }

  D get(String v0) {
    return find(hash(hash(1, v0), null), v0, null, null, null, null, null, null);
  }

  D get(String v0, String v1) {
    return find(hash(hash(1, v0), v1), v0, v1, null, null, null, null, null);
  }

  D get(String v0, String v1, String v2) {
    return find(hash(hash(hash(1, v0), v1), v2), v0, v1, v2, null, null, null, null);
  }

  D get(String v0, String v1, String v2, String v3) {
    int h = hash(hash(hash(hash(1, v0), v1), v2), v3);
    return find(h, v0, v1, v2, v3, null, null, null);
  }

  D get(String v0, String v1, String v2, String v3, String v4) {
    int h = hash(hash(hash(hash(hash(1, v0), v1), v2), v3), v4);
    return find(h, v0, v1, v2, v3, v4, null, null);
  }

  D get(String v0, String v1, String v2, String v3, String v4, String v5) {
    int h = hash(hash(hash(hash(hash(hash(1, v0), v1), v2), v3), v4), v5);
    return find(h, v0, v1, v2, v3, v4, v5, null);
  }

  D get(String v0, String v1, String v2, String v3, String v4, String v5, String v6) {
    int h = hash(hash(hash(hash(hash(hash(hash(1, v0), v1), v2), v3), v4), v5), v6);
    return find(h, v0, v1, v2, v3, v4, v5, v6);
  }

  private static int hash(int h, String value) {
    return 31 * h + (value == null ? 0 : value.hashCode());
  }

  private D find(
      int hash, String v0, String v1, String v2, String v3, String v4, String v5, String v6) {
    D found = lookup(table, hash, v0, v1, v2, v3, v4, v5, v6);
    return found != null ? found : admit(hash, v0, v1, v2, v3, v4, v5, v6);
  }

  private static <D> D lookup(
      AtomicReferenceArray<Entry<D>> table,
      int hash,
      String v0,
      String v1,
      String v2,
      String v3,
      String v4,
      String v5,
      String v6) {
    int mask = table.length() - 1;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      Entry<D> entry = table.get(i);
      if (entry == null) {
        return null;
      }
      if (entry.hash == hash && entry.matches(v0, v1, v2, v3, v4, v5, v6)) {
        return entry.series;
      }
    }
  }

  private D admit(
      int hash, String v0, String v1, String v2, String v3, String v4, String v5, String v6) {
    if (full) {
      // the table read before may predate the last insert; the one read now is final
      D found = lookup(table, hash, v0, v1, v2, v3, v4, v5, v6);
      if (found != null) {
        return found;
      }
    } else {
      synchronized (this) {
        D found = lookup(table, hash, v0, v1, v2, v3, v4, v5, v6);
        if (found != null) {
          return found;
        }
        if (size < limit) {
          String[] values = Arrays.copyOf(new String[] {v0, v1, v2, v3, v4, v5, v6}, labelCount);
          D created = series.apply(values);
          insert(new Entry<>(hash, values, created));
          return created;
        }
      }
    }
    return overflow.get();
  }

  /** Called holding the lock: the only writer. */
  private void insert(Entry<D> entry) {
    AtomicReferenceArray<Entry<D>> current = table;
    if (2 * (size + 1) > current.length()) {
      AtomicReferenceArray<Entry<D>> grown = new AtomicReferenceArray<>(current.length() * 2);
      for (int i = 0; i < current.length(); i++) {
        Entry<D> old = current.get(i);
        if (old != null) {
          place(grown, old);
        }
      }
      place(grown, entry);
      table = grown;
    } else {
      place(current, entry);
    }
    size++;
    if (size >= limit) {
      full = true;
    }
  }

  private static <D> void place(AtomicReferenceArray<Entry<D>> table, Entry<D> entry) {
    int mask = table.length() - 1;
    int i = spread(entry.hash) & mask;
    while (table.get(i) != null) {
      i = (i + 1) & mask;
    }
    table.set(i, entry);
  }

  /** As HashMap does: the high bits count in a small table too. */
  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  private static final class Entry<D> {
    final int hash;
    final String[] values;
    final D series;

    Entry(int hash, String[] values, D series) {
      this.hash = hash;
      this.values = values;
      this.series = series;
    }

    boolean matches(String v0, String v1, String v2, String v3, String v4, String v5, String v6) {
      return same(0, v0)
          && same(1, v1)
          && same(2, v2)
          && same(3, v3)
          && same(4, v4)
          && same(5, v5)
          && same(6, v6);
    }

    private boolean same(int index, String value) {
      return index >= values.length || Objects.equals(values[index], value);
    }
  }
}
