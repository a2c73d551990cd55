package io.redwing.agent.telemetry;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits at most {@code limit} distinct label sets for one metric; later new ones fold into a
 * single overflow set whose every value is {@code _overflow}. Memory stays bounded by the limit.
 */
final class CappedLabels {
  static final String OVERFLOW = "_overflow";

  private final String metric;
  private final int limit;
  private final String[] overflow;
  private final Set<LabelSet> admitted = ConcurrentHashMap.newKeySet();
  private final Runnable onOverflow;

  CappedLabels(String metric, int labelCount, int limit, Runnable onOverflow) {
    this.metric = metric;
    this.limit = limit;
    this.overflow = new String[labelCount];
    Arrays.fill(overflow, OVERFLOW);
    this.onOverflow = onOverflow;
  }

  String metric() {
    return metric;
  }

  /** The values to record with: {@code values} itself, or the overflow set. */
  String[] admit(String... values) {
    LabelSet key = new LabelSet(values);
    if (admitted.contains(key)) {
      return values;
    }
    // Racing threads may overshoot by a few entries; the bound still holds within that margin.
    if (admitted.size() < limit && admitted.add(key)) {
      return values;
    }
    if (admitted.contains(key)) {
      return values;
    }
    onOverflow.run();
    return overflow;
  }

  int size() {
    return admitted.size();
  }

  private static final class LabelSet {
    private final String[] values;
    private final int hash;

    LabelSet(String[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LabelSet && Arrays.equals(values, ((LabelSet) other).values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
