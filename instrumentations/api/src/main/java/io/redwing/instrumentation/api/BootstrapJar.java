package io.redwing.instrumentation.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap bridge on the bootstrap class path, so advice inlined into any class (JDK,
 * container, webapp) can reach {@code io.redwing.bootstrap.Operations}. Must run before anything
 * touches a bootstrap class, or the application class loader would define a second copy.
 */
public final class BootstrapJar {
  /** Where the agent jar carries the bootstrap classes, as a jar inside the jar. */
  public static final String RESOURCE = "redwing-bootstrap.jar";

  private BootstrapJar() {}

  /** Copies the embedded jar to the temp directory (once per content) and appends it. */
  public static Path inject(Instrumentation instrumentation, ClassLoader from) throws IOException {
    byte[] bytes;
    try (InputStream in = from.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      bytes = in.readAllBytes();
    }
    Path jar =
        Path.of(System.getProperty("java.io.tmpdir"))
            .resolve(
                "redwing-bootstrap-"
                    + Integer.toHexString(java.util.Arrays.hashCode(bytes))
                    + "-"
                    + bytes.length
                    + ".jar");
    if (!Files.isRegularFile(jar) || Files.size(jar) != bytes.length) {
      Path tmp = Files.createTempFile(jar.getParent(), "redwing-bootstrap", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    appendJar(instrumentation, jar);
    return jar;
  }

  public static void appendJar(Instrumentation instrumentation, Path jar) throws IOException {
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }
}
