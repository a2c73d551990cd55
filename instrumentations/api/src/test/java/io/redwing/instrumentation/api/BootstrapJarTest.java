package io.redwing.instrumentation.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of the bootstrap jar left in the shared temp directory is reused only when it is ours. */
class BootstrapJarTest {
  private static final byte[] JAR = {'P', 'K', 3, 4, 1, 2, 3};

  @TempDir Path dir;

  private Path written(String name, byte[] bytes, String permissions) throws IOException {
    Path file = Files.write(dir.resolve(name), bytes);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void aCopyThisUserWroteWithTheSameBytesIsReused() throws IOException {
    assertThat(BootstrapJar.trusted(written("a.jar", JAR, "rw-------"), JAR)).isTrue();
  }

  @Test
  void aCopyOfTheSameSizeWithOtherBytesIsNot() throws IOException {
    byte[] planted = JAR.clone();
    planted[6] = 9;
    assertThat(BootstrapJar.trusted(written("a.jar", planted, "rw-------"), JAR)).isFalse();
  }

  @Test
  void aCopyOthersMayWriteIsNot() throws IOException {
    assertThat(BootstrapJar.trusted(written("a.jar", JAR, "rw-rw-rw-"), JAR)).isFalse();
    assertThat(BootstrapJar.trusted(written("b.jar", JAR, "rw-rw----"), JAR)).isFalse();
  }

  @Test
  void aLinkIsNotFollowed() throws IOException {
    Path real = written("real.jar", JAR, "rw-------");
    Path link = Files.createSymbolicLink(dir.resolve("a.jar"), real);
    assertThat(BootstrapJar.trusted(link, JAR)).isFalse();
    assertThat(BootstrapJar.trusted(dir.resolve("missing.jar"), JAR)).isFalse();
  }
}
