package io.redwing.bootstrap;

/**
 * How deep this thread is in instrumented calls of one kind: libraries wrap and call themselves
 * (pools around drivers, clients around clients), and only the outermost call is an operation.
 */
public final class CallDepth {
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  /** Enters a call; pair every call with {@link #exit()}. True for the outermost call. */
  public boolean enter() {
    return ++depth.get()[0] == 1;
  }

  public void exit() {
    int[] d = depth.get();
    if (d[0] > 0) {
      d[0]--;
    }
  }

  public boolean inside() {
    return depth.get()[0] > 0;
  }

  void reset() {
    depth.remove();
  }
}
