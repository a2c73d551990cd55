package io.redwing.agent.endpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What {@code /health} and {@code /ready} report; written by the start-up thread. */
public final class AgentStatus {
  private final String version;
  private final long startMillis = System.currentTimeMillis();
  private volatile List<String> instrumentations = Collections.emptyList();
  private volatile Map<String, String> disabled = Collections.emptyMap();
  private volatile String exporterState = "starting";
  private volatile boolean instrumented;
  private volatile Supplier<String> details = () -> "";

  public AgentStatus(String version) {
    this.version = version;
  }

  public String version() {
    return version;
  }

  public long uptimeSeconds() {
    return (System.currentTimeMillis() - startMillis) / 1000;
  }

  public List<String> instrumentations() {
    return instrumentations;
  }

  /** Instrumentations switched off, with the reason: configuration, {@code set}, failing advice. */
  public Map<String, String> disabled() {
    return disabled;
  }

  public void disabled(Map<String, String> reasons) {
    this.disabled = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  public String exporterState() {
    return exporterState;
  }

  public boolean instrumented() {
    return instrumented;
  }

  public void exporterState(String state) {
    this.exporterState = state;
  }

  /** The JSON fields {@code /health/detailed} adds to {@code /health}, without braces. */
  public String details() {
    return details.get();
  }

  public void details(Supplier<String> details) {
    this.details = details;
  }

  public void instrumented(List<String> names) {
    this.instrumentations = List.copyOf(names);
    this.instrumented = true;
  }
}
