package io.redwing.testfixture;

/** Loaded by one test only, to be transformed by {@link BrokenInstrumentation} and fail. */
public final class Target {
  private Target() {}

  public static String run() {
    return "ran";
  }
}
