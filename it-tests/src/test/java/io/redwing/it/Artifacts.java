package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The built jars and settings the it-tests receive from the failsafe configuration. */
final class Artifacts {

  private Artifacts() {}

  static Path agentJar() {
    return existingFile("redwing.agent.jar");
  }

  static Path demoJar() {
    return existingFile("redwing.demo.jar");
  }

  static Path repositoryRoot() {
    return existingFile("redwing.it.repository");
  }

  static Path bundledLibraries() {
    return existingFile("redwing.it.bundled.libs");
  }

  static Path methodAppLibraries() {
    return existingFile("redwing.it.method.libs");
  }

  static Path methodAppSources() {
    return existingFile("redwing.it.method.sources");
  }

  static Path bundledSources() {
    return existingFile("redwing.it.bundled.sources");
  }

  /**
   * The test classes and only the jars whose names start with one of {@code libraries}: the test
   * class path also holds the agent's unshaded classes and Byte Buddy, which must not be a forked
   * application's.
   */
  static String testClassPathWith(List<String> libraries) {
    return Arrays.stream(System.getProperty("redwing.it.classpath").split(File.pathSeparator))
        .filter(
            entry ->
                !entry.endsWith(".jar")
                    || libraries.stream()
                        .anyMatch(l -> Path.of(entry).getFileName().toString().startsWith(l)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The java that runs forked applications and the attach CLI. */
  static String java() {
    String configured = System.getProperty("redwing.it.java", "");
    if (!configured.isBlank()) {
      return configured;
    }
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The feature version (17, 25, ...) of {@link #java()}, read from its JDK's release file. */
  static int javaFeatureVersion() {
    Path release = Paths.get(java()).toAbsolutePath().getParent().getParent().resolve("release");
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no JAVA_VERSION in " + release);
  }

  /** A directory for logs and compiled classes of one test, kept for inspection after a run. */
  static Path workDirectory(String name) {
    String root = System.getProperty("redwing.it.work", "target/it-work");
    Path directory = Paths.get(root, name);
    try {
      Files.createDirectories(directory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return directory;
  }

  private static Path existingFile(String property) {
    String value = System.getProperty(property);
    assertThat(value).as("system property %s (set by failsafe)", property).isNotBlank();
    Path path = Paths.get(value);
    assertThat(path).as("%s, built before the it-tests run", property).exists();
    return path;
  }
}
