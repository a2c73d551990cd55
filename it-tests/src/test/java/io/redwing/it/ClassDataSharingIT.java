package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.it.cdsapp.LateLoadingApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The agent appends its bootstrap jar to the boot class path, and the JVM then warns that "sharing
 * is only supported for boot loader classes". What that costs an application that archives its own
 * classes ({@code -XX:ArchiveClassesAtExit}, as Spring Boot's CDS support does) differs by JDK, and
 * the README says so: on JDK 17 a class loaded after the append still comes from the archive; on
 * JDK 25 it is read from its jar again. (On JDK 25 {@code -Xbootclasspath/a} alone does the same.)
 * The JDK's own archive keeps serving its classes on both.
 */
class ClassDataSharingIT {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @Test
  void whatAnApplicationsOwnArchiveKeepsAfterTheAgentsAppendIsWhatTheReadmeSays() throws Exception {
    Path work = Artifacts.workDirectory("class-data-sharing");
    Path jar = appJar(work.resolve("late-loading-app.jar"));
    Path archive = work.resolve("app.jsa");
    Files.deleteIfExists(archive);

    try (ForkedApp writing =
        ForkedApp.builder("cds-archive")
            .jvmArg("-XX:ArchiveClassesAtExit=" + archive)
            .mainClass(jar.toString(), LateLoadingApp.class.getName())
            .start()) {
      assertThat(writing.awaitExit(EXIT)).as(writing.output()).isZero();
    }
    assertThat(archive).as("the archive the JVM wrote").exists();

    try (ForkedApp app =
        ForkedApp.builder("cds-with-agent")
            .javaagent(Artifacts.agentJar(), "otel.traces.exporter=none")
            .jvmArg("-XX:SharedArchiveFile=" + archive)
            .jvmArg("-Xlog:class+load=info")
            .env("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(FreePort.find()))
            .mainClass(jar.toString(), LateLoadingApp.class.getName())
            .arg("--after-agent")
            .start()) {
      assertThat(app.awaitExit(EXIT)).as(app.output()).isZero();
      String output = app.output();
      String late = LateLoadingApp.class.getName() + "$Late source: ";
      assertThat(output)
          .contains("Sharing is only supported for boot loader classes")
          .as("the JDK's archive after the append")
          .contains("java.text.SimpleDateFormat source: shared objects file");
      if (output.contains("loaded late on java 17")) {
        assertThat(output).contains(late + "shared objects file");
      } else {
        assertThat(output)
            .as("JDK 25 loses the archived class")
            .contains("loaded late on java 25")
            .contains(late + "file:");
      }
    }
  }

  /** The application's classes in a jar: the JVM archives classes from jars, not directories. */
  private static Path appJar(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    String app = LateLoadingApp.class.getName().replace('.', '/');
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String entry : new String[] {app + ".class", app + "$Late.class"}) {
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = LateLoadingApp.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
      }
    }
    return jar;
  }
}
