package io.redwing.agent.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Locale;

/**
 * The SDK's sampler behind a volatile reference, so that {@code set otel.traces.sampler.arg=...}
 * changes the ratio of new traces at once. A parent-based sampler stays parent-based: the ratio
 * applies to root spans, and a sampled parent still decides for its children.
 */
public final class LiveSampler implements Sampler {
  private final boolean parentBased;
  private volatile Sampler delegate;

  LiveSampler(Sampler configured, String samplerName) {
    this.delegate = configured;
    this.parentBased =
        samplerName == null
            || samplerName.trim().toLowerCase(Locale.ROOT).startsWith("parentbased");
  }

  /** Samples {@code ratio} of new traces from now on. */
  public void ratio(double ratio) {
    Sampler root = Sampler.traceIdRatioBased(ratio);
    delegate = parentBased ? Sampler.parentBased(root) : root;
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return delegate.getDescription();
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
