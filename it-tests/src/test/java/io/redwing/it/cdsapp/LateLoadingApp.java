package io.redwing.it.cdsapp;

/**
 * Loads a class of its own only after the agent has put its bootstrap jar on the boot class path
 * ({@code --after-agent}), so that where that class comes from shows what the append did to class
 * data sharing. Without the argument it loads it at once, for the run that writes the archive.
 */
public final class LateLoadingApp {
  private LateLoadingApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--after-agent")) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!onBootClassPath("io.redwing.bootstrap.Operations")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the agent's bootstrap classes never appeared");
        }
        Thread.sleep(20);
      }
    }
    // a class of the JDK's own archive that nothing here loaded yet
    Class.forName("java.text.SimpleDateFormat");
    System.out.println(Late.greeting() + " on java " + Runtime.version().feature());
  }

  private static boolean onBootClassPath(String name) {
    try {
      Class.forName(name, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static final class Late {
    private Late() {}

    static String greeting() {
      return "loaded late";
    }
  }
}
