package io.redwing.agent.config;

import java.util.regex.Pattern;

/** Derives a service name from the command line, because "unknown_service" helps nobody. */
final class ServiceNames {
  static final String FALLBACK = "java-application";
  private static final Pattern VERSION_SUFFIX = Pattern.compile("-\\d[^/\\\\]*$");

  private ServiceNames() {}

  /** {@code /opt/shop-2.1.0.jar --port 80} → {@code shop}; {@code com.acme.Shop} → {@code Shop}. */
  static String fromCommand(String command) {
    if (command == null || command.isBlank()) {
      return FALLBACK;
    }
    String first = command.trim().split("\\s+", 2)[0];
    if (first.endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      String name = file.substring(0, file.length() - ".jar".length());
      name = VERSION_SUFFIX.matcher(name).replaceFirst("");
      return name.isEmpty() ? FALLBACK : name;
    }
    String simple = first.substring(first.lastIndexOf('.') + 1);
    // a module launch is "module/main.Class"
    simple = simple.substring(simple.lastIndexOf('/') + 1);
    return simple.isEmpty() ? FALLBACK : simple;
  }
}
