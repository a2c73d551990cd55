package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The dependencies the service has called (databases and Redis by system and address, outbound HTTP
 * by host), each with its last success, last failure and a recent error ratio, for {@code
 * /health/detailed} and the {@code redwing_dependency_up} gauge. Recording takes no lock; at most
 * {@link #MAX_DEPENDENCIES} are kept, later ones are left out.
 */
public final class DependencyHealth {
  public static final String DEPENDENCY_UP = "redwing_dependency_up";
  static final int MAX_DEPENDENCIES = 64;

  /** The weight of the newest call in the error ratio: about the last 20 calls count. */
  static final double ALPHA = 0.05;

  /** A dependency is down while more than half of its recent calls failed. */
  static final double DOWN_RATIO = 0.5;

  private final Map<Key, Dependency> dependencies = new ConcurrentHashMap<>();
  // Looked up without a key object per call; past the cap the supplier gives null: not kept.
  private final CappedSeries<Dependency> known =
      new CappedSeries<>(
          4,
          MAX_DEPENDENCIES,
          values -> {
            Dependency dependency = new Dependency();
            dependencies.put(new Key(values[0], values[1], values[2], values[3]), dependency);
            return dependency;
          },
          () -> null);
  private final LongSupplier clock;

  public DependencyHealth() {
    this(System::currentTimeMillis);
  }

  DependencyHealth(LongSupplier clock) {
    this.clock = clock;
  }

  /** {@code type} is {@code db} or {@code http}; {@code system} the db system, empty for HTTP. */
  void record(String type, String system, String address, String port, boolean success) {
    if (address == null || address.isEmpty()) {
      return;
    }
    Dependency dependency =
        known.get(type, system == null ? "" : system, address, port == null ? "" : port);
    if (dependency != null) {
      dependency.record(success, clock.getAsLong());
    }
  }

  public void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name(DEPENDENCY_UP)
        .help("1 while at most half of the recent calls to a dependency failed, else 0")
        .labelNames("dependency_type", "db_system_name", "server_address", "server_port")
        .callback(
            callback ->
                dependencies.forEach(
                    (key, dependency) ->
                        callback.call(
                            dependency.up() ? 1 : 0, key.type, key.system, key.address, key.port)))
        .register(registry);
  }

  /** The JSON array of {@code /health/detailed}. */
  public String toJson() {
    StringBuilder json = new StringBuilder("[");
    String separator = "";
    for (Map.Entry<Key, Dependency> entry : dependencies.entrySet()) {
      Key key = entry.getKey();
      Dependency dependency = entry.getValue();
      json.append(separator)
          .append("{\"type\":\"")
          .append(escape(key.type))
          .append("\",\"system\":\"")
          .append(escape(key.system))
          .append("\",\"address\":\"")
          .append(escape(key.address))
          .append("\",\"port\":\"")
          .append(escape(key.port))
          .append("\",\"up\":")
          .append(dependency.up())
          .append(",\"calls\":")
          .append(dependency.calls.get())
          .append(",\"recentErrorRatio\":")
          .append(Math.round(dependency.errorRatio() * 1000) / 1000.0)
          .append(",\"lastSuccessMillis\":")
          .append(dependency.lastSuccess.get())
          .append(",\"lastErrorMillis\":")
          .append(dependency.lastError.get())
          .append('}');
      separator = ",";
    }
    return json.append(']').toString();
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static final class Key {
    final String type;
    final String system;
    final String address;
    final String port;

    Key(String type, String system, String address, String port) {
      this.type = type;
      this.system = system == null ? "" : system;
      this.address = address;
      this.port = port == null ? "" : port;
    }

    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Key)) {
        return false;
      }
      Key that = (Key) other;
      return type.equals(that.type)
          && system.equals(that.system)
          && address.equals(that.address)
          && port.equals(that.port);
    }

    @Override
    public int hashCode() {
      return ((type.hashCode() * 31 + system.hashCode()) * 31 + address.hashCode()) * 31
          + port.hashCode();
    }
  }

  private static final class Dependency {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong lastSuccess = new AtomicLong();
    final AtomicLong lastError = new AtomicLong();

    /** The error ratio's double bits, moved towards 0 or 1 by each call. */
    final AtomicLong ratioBits = new AtomicLong(Double.doubleToLongBits(0));

    void record(boolean success, long now) {
      calls.incrementAndGet();
      (success ? lastSuccess : lastError).set(now);
      double outcome = success ? 0 : 1;
      long bits;
      long next;
      do {
        bits = ratioBits.get();
        double ratio = Double.longBitsToDouble(bits);
        next = Double.doubleToLongBits(ratio + ALPHA * (outcome - ratio));
      } while (!ratioBits.compareAndSet(bits, next));
    }

    double errorRatio() {
      return Double.longBitsToDouble(ratioBits.get());
    }

    boolean up() {
      return errorRatio() <= DOWN_RATIO;
    }
  }
}
