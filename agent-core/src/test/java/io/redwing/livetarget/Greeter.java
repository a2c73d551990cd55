package io.redwing.livetarget;

/** What LiveInstrumentationTest instruments: outside the packages the installer ignores. */
public final class Greeter {
  public String greet(String name) {
    return "hello " + name;
  }

  public String shout() {
    return "hey";
  }
}
