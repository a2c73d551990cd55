package io.redwing.instrumentation.testing;

import java.util.List;

/**
 * A traced method's operation as the recording listener saw it, copied at one instant.
 *
 * @param type the class the advice named
 * @param method the method's name
 * @param descriptor its descriptor for a {@code @WithSpan} method; null for a configured one
 * @param arguments what a {@code @SpanAttribute} method passed, else null
 * @param returned what the method returned, once ended
 * @param context what this operation made current while the method ran: the {@code parentContext}
 *     of the operations started inside it
 * @param parentContext what was current when it started, null if nothing was
 */
public record MethodOperation(
    Class<?> type,
    String method,
    String descriptor,
    List<Object> arguments,
    boolean ended,
    Throwable error,
    Object returned,
    String startThread,
    String endThread,
    Object context,
    Object parentContext) {

  @Override
  public String toString() {
    return "MethodOperation["
        + type.getName()
        + "."
        + method
        + (descriptor == null ? "" : descriptor)
        + " ended="
        + ended
        + " error="
        + error
        + "]";
  }
}
