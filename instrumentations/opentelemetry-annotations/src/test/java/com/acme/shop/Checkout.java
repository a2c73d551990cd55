package com.acme.shop;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.concurrent.CompletableFuture;

/** An application written for OpenTelemetry: its annotations, no code of the agent's. */
public class Checkout {

  @WithSpan
  public int total(int items) {
    return price(items) + 1;
  }

  @WithSpan(value = "pricing", kind = SpanKind.CLIENT)
  int price(int items) {
    return items * 10;
  }

  @WithSpan
  public String pay(
      @SpanAttribute("order.id") String orderId, String card, @SpanAttribute int cents) {
    return orderId + ":" + cents;
  }

  @WithSpan
  public void fail(@SpanAttribute("reason") String reason) {
    throw new IllegalArgumentException(reason);
  }

  @WithSpan
  public CompletableFuture<String> ship(String orderId) {
    return CompletableFuture.completedFuture("shipped " + orderId);
  }

  public String plain() {
    return "plain";
  }
}
