package io.redwing.agent.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarIT {
  private static final Path JAR = Path.of(System.getProperty("redwing.agent.jar"));

  @Test
  void everyClassIsRedwingsOwnOrRelocatedUnderIt() throws Exception {
    List<String> strays = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream()
          .map(JarEntry::getName)
          .filter(name -> name.endsWith(".class"))
          .filter(
              name -> !name.startsWith("io/redwing/") || name.startsWith("io/redwing/bootstrap/"))
          .forEach(strays::add);
      assertThat(
              jar.stream()
                  .map(JarEntry::getName)
                  .filter(name -> name.startsWith("META-INF/services/") && !name.endsWith("/"))
                  .filter(name -> !name.startsWith("META-INF/services/io.redwing.")))
          .isEmpty();
    }
    assertThat(strays).isEmpty();
  }

  @Test
  void theBootstrapClassesTravelAsANestedJar() throws Exception {
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile());
        JarInputStream nested =
            new JarInputStream(jar.getInputStream(jar.getEntry("redwing-bootstrap.jar")))) {
      for (JarEntry e = nested.getNextJarEntry(); e != null; e = nested.getNextJarEntry()) {
        names.add(e.getName());
      }
    }
    assertThat(names).contains("io/redwing/bootstrap/Operations.class");
  }

  @Test
  void theManifestNamesEveryEntryPoint() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("io.redwing.agent.RedwingAgent");
      assertThat(main.getValue("Agent-Class")).isEqualTo("io.redwing.agent.RedwingAgent");
      assertThat(main.getValue("Main-Class")).isEqualTo("io.redwing.agent.cli.RedwingCli");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
      assertThat(main.getValue("Implementation-Version")).isNotBlank();
    }
  }

  @Test
  void anApplicationStartedWithTheAgentServesMetricsWithExemplars() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + JAR + "=OTEL_EXPORTER_PROMETHEUS_PORT=0,otel.traces.exporter=none",
            "-cp",
            System.getProperty("java.class.path"),
            SmokeApp.class.getName(),
            traceId);
    builder.environment().put("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
    builder.environment().put("OTEL_TRACES_SAMPLER", "sometimes");
    builder.redirectErrorStream(true);
    Process app = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      List<String> seen = new ArrayList<>();
      int port = -1;
      boolean recorded = false;
      while (port < 0 || !recorded) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("output so far: %s", seen).isNotNull();
        seen.add(line);
        Matcher m = SmokeApp.METRICS_ON.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
        recorded |= line.equals("smoke request recorded");
      }
      assertThat(seen)
          .contains(
              "[redwing] OTEL_TRACES_SAMPLER=\"sometimes\" is not one of always_off, always_on,"
                  + " parentbased_always_off, parentbased_always_on, parentbased_traceidratio,"
                  + " traceidratio; using parentbased_always_on");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("redwing_agent_info{version=\"")
          .contains("jvm_memory_used_bytes")
          .contains(SmokeApp.RECORDED_SERIES)
          .contains("trace_id=\"" + traceId + "\"");
    } finally {
      app.destroyForcibly().waitFor();
    }
    assertThat(Files.size(JAR)).isPositive();
  }

  /**
   * The relocated Prometheus client reads none of the settings an application keeps for its own
   * client: not a {@code prometheus.properties} on the context class loader, not {@code
   * -Dprometheus.config}. The same setup makes the library's own, unrelocated loader fail, so the
   * settings below would be read if the names had not been changed in the jar.
   */
  @Test
  void theRelocatedPrometheusClientReadsNoneOfTheApplicationsSettings(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("prometheus.properties"),
        "io.prometheus.no_such_setting=1\nio_prometheus_metrics_no_such_setting=1\n");
    String config = System.getProperty("prometheus.config");
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    try (URLClassLoader agent = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, null);
        URLClassLoader application = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      thread.setContextClassLoader(application);
      System.setProperty("prometheus.config", dir.resolve("missing.properties").toString());

      assertThatThrownBy(io.prometheus.metrics.config.PrometheusPropertiesLoader::load)
          .as("the library's own loader, as a control")
          .isInstanceOf(io.prometheus.metrics.config.PrometheusPropertiesException.class);
      Object loaded =
          agent
              .loadClass(
                  "io.redwing.shaded.io.prometheus.metrics.config.PrometheusPropertiesLoader")
              .getMethod("load")
              .invoke(null);
      assertThat(loaded.getClass().getName())
          .isEqualTo("io.redwing.shaded.io.prometheus.metrics.config.PrometheusProperties");
    } finally {
      thread.setContextClassLoader(context);
      if (config == null) {
        System.clearProperty("prometheus.config");
      } else {
        System.setProperty("prometheus.config", config);
      }
    }
  }
}
