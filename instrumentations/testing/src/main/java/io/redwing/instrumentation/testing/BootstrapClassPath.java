package io.redwing.instrumentation.testing;

import io.redwing.instrumentation.api.BootstrapJar;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Puts the bootstrap bridge on the bootstrap class path the way the agent does, from wherever the
 * test class path has it: the installed jar, or {@code bootstrap/target/classes} in a reactor
 * build.
 *
 * <p>Touches no {@code io.redwing.bootstrap} class: one loaded before the append would be defined
 * by the application class loader, and advice in JDK classes could not see it.
 */
final class BootstrapClassPath {
  private static final String MARKER = "io/redwing/bootstrap/Operations.class";

  private BootstrapClassPath() {}

  static void append(Instrumentation instrumentation) throws IOException {
    URL marker = ClassLoader.getSystemResource(MARKER);
    if (marker == null) {
      throw new IllegalStateException(MARKER + " is not on the test class path");
    }
    BootstrapJar.appendJar(instrumentation, jarOf(marker));
  }

  private static Path jarOf(URL marker) throws IOException {
    if ("jar".equals(marker.getProtocol())) {
      URL jar = ((JarURLConnection) marker.openConnection()).getJarFileURL();
      return toPath(jar);
    }
    Path classFile = toPath(marker);
    Path root = classFile;
    for (int i = 0; i < MARKER.split("/").length; i++) {
      root = root.getParent();
    }
    return jarDirectory(root);
  }

  private static Path jarDirectory(Path root) throws IOException {
    Path jar = Files.createTempFile("redwing-bootstrap-test", ".jar");
    jar.toFile().deleteOnExit();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      for (Path file : files) {
        jarOut.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jarOut);
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  private static Path toPath(URL url) {
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("unexpected class path entry " + url, e);
    }
  }
}
