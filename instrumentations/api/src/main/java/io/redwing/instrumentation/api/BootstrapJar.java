package io.redwing.instrumentation.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
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

  /**
   * Copies the embedded jar to the temp directory (once per content) and appends it. A copy found
   * there is used only if this user wrote it, no one else may write it and it holds these bytes:
   * the temp directory is shared, and whatever is in that file runs on the boot class path.
   */
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
    if (!trusted(jar, bytes)) {
      // created readable and writable by this user alone
      Path tmp = Files.createTempFile(jar.getParent(), "redwing-bootstrap", ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException taken) {
        // another user's file has the name, and the shared directory's sticky bit keeps it there
        tmp.toFile().deleteOnExit();
        jar = tmp;
      }
    }
    appendJar(instrumentation, jar);
    return jar;
  }

  static boolean trusted(Path jar, byte[] bytes) throws IOException {
    if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) || Files.size(jar) != bytes.length) {
      return false;
    }
    try {
      Path probe = Files.createTempFile(jar.getParent(), "redwing-owner", ".tmp");
      try {
        if (!Files.getOwner(jar, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(probe))) {
          return false;
        }
      } finally {
        Files.deleteIfExists(probe);
      }
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(jar, LinkOption.NOFOLLOW_LINKS);
      if (permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return false;
      }
    } catch (UnsupportedOperationException noOwnersHere) {
      // a file system without owners or POSIX permissions: the content decides
    }
    return Arrays.equals(Files.readAllBytes(jar), bytes);
  }

  public static void appendJar(Instrumentation instrumentation, Path jar) throws IOException {
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }
}
