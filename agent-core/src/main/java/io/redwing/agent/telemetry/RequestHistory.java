package io.redwing.agent.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.redwing.bootstrap.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one server request did before it failed: its client operations and warnings as at most
 * {@code limit} breadcrumbs (the oldest dropped first). Current in the request's context.
 */
public final class RequestHistory {
  public static final ContextKey<RequestHistory> KEY = ContextKey.named("redwing-request-history");

  /** One step of the request, already sanitised (SQL without literals, URLs without secrets). */
  public static final class Step {
    public final long epochMillis;
    public final String category;
    public final String message;
    public final boolean failed;
    public final Map<String, String> data;

    Step(String category, String message, boolean failed, Map<String, String> data) {
      this.epochMillis = System.currentTimeMillis();
      this.category = category;
      this.message = message;
      this.failed = failed;
      this.data = Collections.unmodifiableMap(data);
    }
  }

  public final HttpServerRequest request;
  public final String redactedQuery;
  private final int limit;
  private final ArrayDeque<Step> steps;
  private int dropped;

  /** At most this many items wait for the request's end; more are not put aside. */
  static final int MAX_DEFERRED = 8;

  private List<Object> deferred;
  private boolean ended;

  public RequestHistory(HttpServerRequest request, String redactedQuery, int limit) {
    this.request = request;
    this.redactedQuery = redactedQuery;
    this.limit = Math.max(1, limit);
    this.steps = new ArrayDeque<>(Math.min(this.limit, 16));
  }

  /** The history of the request current on this thread, or null. */
  public static RequestHistory current() {
    return Context.current().get(KEY);
  }

  /** Records a step; {@code data} holds name/value pairs, null values skipped. */
  public synchronized void add(String category, String message, boolean failed, String... data) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i + 1 < data.length; i += 2) {
      if (data[i + 1] != null && !data[i + 1].isEmpty()) {
        values.put(data[i], data[i + 1]);
      }
    }
    if (steps.size() == limit) {
      steps.removeFirst();
      dropped++;
    }
    steps.addLast(new Step(category, message, failed, values));
  }

  public synchronized List<Step> steps() {
    return new ArrayList<>(steps);
  }

  /**
   * Puts {@code item} aside until the request ends, when {@link #takeDeferred} hands it back; false
   * (and nothing kept) once the request ended or {@value #MAX_DEFERRED} items wait.
   */
  public synchronized boolean defer(Object item) {
    if (ended || (deferred != null && deferred.size() >= MAX_DEFERRED)) {
      return false;
    }
    if (deferred == null) {
      deferred = new ArrayList<>(2);
    }
    deferred.add(item);
    return true;
  }

  /** What was put aside, emptied; from now on nothing more is. */
  public synchronized List<Object> takeDeferred() {
    ended = true;
    List<Object> items = deferred == null ? Collections.emptyList() : deferred;
    deferred = null;
    return items;
  }

  /** Steps that fell off the front because the history was full. */
  public synchronized int dropped() {
    return dropped;
  }
}
