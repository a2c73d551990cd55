package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a sample application's sources here, against jars copied by the build, so that its
 * libraries never meet the agent's in Maven's resolution.
 */
final class AppCompiler {
  private AppCompiler() {}

  /** The jars in {@code directory}, sorted. */
  static List<Path> jarsIn(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compiled classes first, then the libraries, as {@code -cp} takes them. */
  static String classPath(Path classes, List<Path> libraries) {
    return Stream.concat(Stream.of(classes), libraries.stream())
        .map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * The it-tests' own classes and only the jars whose names start with one of {@code libraries}:
   * the test class path also holds the agent's unshaded classes and Byte Buddy, which must not be
   * the application's.
   */
  static String testClassesWith(List<String> libraries) {
    return Arrays.stream(System.getProperty("redwing.it.classpath").split(File.pathSeparator))
        .filter(
            entry ->
                !entry.endsWith(".jar")
                    || libraries.stream()
                        .anyMatch(l -> Path.of(entry).getFileName().toString().startsWith(l)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Compiles every source under {@code sources} into a work directory named {@code name}. */
  static Path compile(Path sources, String name, List<Path> libraries, String... extraOptions) {
    Path classes = Artifacts.workDirectory(name);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK runs the it-tests").isNotNull();
    List<String> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files =
          walk.filter(f -> f.toString().endsWith(".java"))
              .map(Path::toString)
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> options =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-d",
                classes.toString(),
                "-classpath",
                libraries.stream()
                    .map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator))));
    options.addAll(List.of(extraOptions));
    StringWriter diagnostics = new StringWriter();
    Boolean ok =
        compiler
            .getTask(
                diagnostics,
                null,
                null,
                options,
                null,
                compiler
                    .getStandardFileManager(null, null, null)
                    .getJavaFileObjectsFromStrings(files))
            .call();
    assertThat(ok).as("javac of %s:\n%s", sources, diagnostics).isTrue();
    return classes;
  }
}
