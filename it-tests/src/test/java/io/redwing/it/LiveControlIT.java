package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code status}, {@code set} and {@code detach} on a demo under steady load, then attaching again;
 * and twenty attach/detach cycles that must leave heap, metaspace and threads flat.
 */
class LiveControlIT {
  private static final String SERVER_COUNT = "http_server_request_duration_seconds_count";
  private static final String DB_COUNT = "db_client_operation_duration_seconds_count";
  private static final String DYNAMIC_AGENTS = "-XX:+EnableDynamicAgentLoading";
  private static final String SERVLET_CLASS = "jakarta.servlet.http.HttpServlet";
  private static final String JDK_CLASS = "java.util.concurrent.ThreadPoolExecutor";
  private static final Map<String, Map<String, String>> SERIES =
      Map.of(
          SERVER_COUNT, Map.of("http_route", "/owners/{id}"),
          DB_COUNT, Map.of("db_collection_name", "owners"));

  /** Thread names of the agent and the libraries it runs; none may outlive a detach. */
  private static final Pattern AGENT_THREAD =
      Pattern.compile("redwing-.*|.*Sentry.*|.*OkHttp.*|.*BatchSpanProcessor.*|.*OTel.*");

  private static final Path WORK = Artifacts.workDirectory("live-control");
  private static final String OWNER_1 = "{\"id\":1,\"name\":\"Owner 1\"}";
  private static final String BEFORE_CHANGE = "probe=before-sampling-change";
  private static final String AFTER_CHANGE = "probe=after-sampling-change";
  private static final int TAGGED_AFTER_CHANGE = 10;

  @Test
  void statusSetDetachAndAttachAgainWhileEveryRequestSucceeds() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start();
        Demo demo =
            Demo.withoutAgent(
                "live-control-demo",
                Map.of(
                    "OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                    "OTEL_BSP_SCHEDULE_DELAY", "100"),
                DYNAMIC_AGENTS);
        SteadyLoad load =
            new SteadyLoad(
                "live-control-load",
                i -> demo.url("/owners/" + (1 + i % 3)),
                i -> "{\"id\":" + (1 + i % 3) + ",\"name\":\"Owner " + (1 + i % 3) + "\"}")) {
      String pid = Long.toString(demo.app.pid());
      load.awaitMore(5);
      byte[] servletBefore = classFile(pid, SERVLET_CLASS, "before");
      byte[] jdkBefore = classFile(pid, JDK_CLASS, "before");

      AttachIT.CliRun notYet = AttachIT.cli("status", pid);
      assertThat(notYet.exitCode()).as(notYet.output()).isEqualTo(4);
      assertThat(notYet.output()).contains("Redwing is not attached");

      AttachIT.CliRun attach = AttachIT.cli("attach", pid, "otel.service.name=live-shop");
      assertThat(attach.exitCode()).as(attach.output()).isZero();
      demo.awaitReady();
      awaitCount(demo, SERVER_COUNT, 1);
      awaitCount(demo, DB_COUNT, 1);
      assertThat(canonical(classFile(pid, SERVLET_CLASS, "attached")))
          .isNotEqualTo(canonical(servletBefore));
      assertThat(canonical(classFile(pid, JDK_CLASS, "attached")))
          .isNotEqualTo(canonical(jdkBefore));

      AttachIT.CliRun status = AttachIT.cli("status", pid);
      System.out.println("[it] status:\n" + status.output());
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.output())
          .contains("service live-shop")
          .containsPattern("(?m)^  servlet-jakarta +active$")
          .containsPattern("(?m)^  jdbc +active$")
          .containsPattern("(?m)^  jedis +never matched$")
          .containsPattern("(?m)^  otel.service.name=live-shop$");
      assertThat(count(status.output(), "http.server")).isPositive();
      assertThat(count(status.output(), "db")).isPositive();

      // jdbc off: database operations stop being recorded, server requests go on
      AttachIT.CliRun jdbcOff =
          AttachIT.cli("set", pid, "redwing.instrumentation.jdbc.enabled=false");
      System.out.println("[it] set:\n" + jdbcOff.output());
      assertThat(jdbcOff.exitCode()).as(jdbcOff.output()).isZero();
      assertThat(jdbcOff.output()).contains("redwing.instrumentation.jdbc.enabled: true -> false");
      // A query that entered the instrumented code before the set still records when it ends: the
      // request in flight during the set answers first.
      load.awaitMore(2);
      double servedAfterSet = demo.scrape().value(SERVER_COUNT, SERIES.get(SERVER_COUNT));
      double dbAfterSet = demo.scrape().value(DB_COUNT, SERIES.get(DB_COUNT));
      awaitCount(demo, SERVER_COUNT, servedAfterSet + 20);
      assertThat(demo.scrape().value(DB_COUNT, SERIES.get(DB_COUNT))).isEqualTo(dbAfterSet);
      assertThat(Http.get(demo.agentUrl("/health")).body())
          .contains("\"disabled\":{\"jdbc\":\"switched off at ");

      // sampler ratio 0: no trace started after the change is exported. Requests of the test's own,
      // tagged by their query, tell their spans apart from the steady load's; the same tagged
      // request before the change is exported, so the check after it is not vacuous.
      demo.getOk("/owners/1?" + BEFORE_CHANGE, OWNER_1);
      otlp.awaitSpans("the tagged request before the change", 1, tagged(BEFORE_CHANGE));
      AttachIT.CliRun sampling =
          AttachIT.cli("set", pid, "redwing.log.level=debug", "otel.traces.sampler.arg=0");
      assertThat(sampling.exitCode()).as(sampling.output()).isZero();
      assertThat(sampling.output())
          .contains("redwing.log.level: info -> debug")
          .contains("root:TraceIdRatioBased{0.000000}");
      // every one of these starts after the set returned
      for (int i = 0; i < TAGGED_AFTER_CHANGE; i++) {
        demo.getOk("/owners/1?" + AFTER_CHANGE, OWNER_1);
      }
      // The sampler stays parent-based: a sampled remote parent still decides for its child. This
      // request's span, told apart by its trace id, shows the exporter has caught up with the
      // tagged requests before it (and that it still exports at all).
      String marker = "0af7651916cd43dd8448eb211c80319c";
      assertThat(
              demo.get(
                      "/owners/1?probe=marker",
                      "traceparent",
                      "00-" + marker + "-b7ad6b7169203331-01")
                  .statusCode())
          .isEqualTo(200);
      otlp.awaitSpans(
          "the server span of the marker request with a sampled parent",
          1,
          span ->
              marker.equals(OtlpReceiver.hex(span.span().getTraceId()))
                  && "probe=marker".equals(span.attribute("url.query")));
      assertThat(otlp.spans(tagged(AFTER_CHANGE))).as("tagged after the change").isEmpty();
      AttachIT.CliRun refused = AttachIT.cli("set", pid, "OTEL_EXPORTER_PROMETHEUS_PORT=1");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.output()).contains("not changeable live; restart with it");
      double served = demo.scrape().value(SERVER_COUNT, SERIES.get(SERVER_COUNT));
      awaitCount(demo, SERVER_COUNT, served + 20);

      AttachIT.CliRun detach = AttachIT.cli("detach", pid);
      System.out.println("[it] detach:\n" + detach.output());
      assertThat(detach.exitCode()).as(detach.output()).isZero();
      assertThat(detach.output()).contains("detached Redwing");
      // the final flush has exported everything that was sampled: still none of them
      assertThat(otlp.spans(tagged(AFTER_CHANGE))).as("tagged after the change").isEmpty();

      assertThat(Http.status(demo.agentUrl("/metrics"))).as("endpoint closed").isEqualTo(-1);
      awaitNoAgentThreads(pid);
      load.awaitMore(10);
      byte[] servletAfter = classFile(pid, SERVLET_CLASS, "detached");
      byte[] jdkAfter = classFile(pid, JDK_CLASS, "detached");
      assertThat(canonical(servletAfter)).isEqualTo(canonical(servletBefore));
      assertThat(canonical(jdkAfter)).isEqualTo(canonical(jdkBefore));
      if (Artifacts.javaFeatureVersion() <= 17) {
        // JDK 17 hands retransformers the class file it cached before the first change. JDK 25
        // rebuilds the file from the running class, and HotSpot merged the instrumented version's
        // constant pool into it on redefinition: javap -v of the two files differs only in unused
        // constant pool entries (Operations, TaskContexts, ...), which canonical() drops.
        assertThat(sha256(servletAfter)).isEqualTo(sha256(servletBefore));
        assertThat(sha256(jdkAfter)).isEqualTo(sha256(jdkBefore));
      }
      int exported = otlp.spans().size();
      AttachIT.CliRun gone = AttachIT.cli("status", pid);
      assertThat(gone.exitCode()).as(gone.output()).isEqualTo(4);
      load.awaitMore(10);
      assertThat(otlp.spans()).hasSize(exported);

      AttachIT.CliRun again = AttachIT.cli("attach", pid);
      assertThat(again.exitCode()).as(again.output()).isZero();
      demo.awaitReady();
      awaitCount(demo, DB_COUNT, 1);
      assertThat(AttachIT.cli("status", pid).output())
          .containsPattern("(?m)^  jdbc +active$")
          .contains("root:AlwaysOnSampler");

      load.stop();
      assertThat(load.failures).isEmpty();
      assertThat(load.succeeded.get()).isGreaterThan(50);
    }
  }

  @Test
  void twentyAttachDetachCyclesLeaveHeapMetaspaceAndThreadsFlat() {
    try (Demo demo = Demo.withoutAgent("live-cycles-demo", Map.of(), DYNAMIC_AGENTS)) {
      String pid = Long.toString(demo.app.pid());
      demo.getOk("/owners/1", "{\"id\":1,\"name\":\"Owner 1\"}");
      ProbeAgent.Measure before = measure(pid);
      ProbeAgent.Measure third = null;
      ProbeAgent.Measure last = null;
      for (int cycle = 1; cycle <= 20; cycle++) {
        AttachIT.CliRun attach = AttachIT.cli("attach", pid);
        assertThat(attach.exitCode()).as(attach.output()).isZero();
        demo.awaitReady();
        demo.getOk("/owners/1", "{\"id\":1,\"name\":\"Owner 1\"}");
        AttachIT.CliRun detach = AttachIT.cli("detach", pid);
        assertThat(detach.exitCode()).as(detach.output()).isZero();
        last = awaitNoAgentThreads(pid);
        if (cycle == 3) {
          third = last;
        }
      }
      System.out.printf(
          "[it] cycles: heap %d -> %d -> %d, metaspace %d -> %d -> %d, classes %d -> %d -> %d,"
              + " class loaders %d -> %d -> %d, agent classes %d -> %d -> %d,"
              + " threads %d -> %d -> %d%n",
          before.heapUsed(),
          third.heapUsed(),
          last.heapUsed(),
          before.metaspaceUsed(),
          third.metaspaceUsed(),
          last.metaspaceUsed(),
          before.loadedClasses(),
          third.loadedClasses(),
          last.loadedClasses(),
          before.classLoaders(),
          third.classLoaders(),
          last.classLoaders(),
          before.agentClasses(),
          third.agentClasses(),
          last.agentClasses(),
          before.threads().size(),
          third.threads().size(),
          last.threads().size());
      // The first attach adds about 10 MB of metaspace and 4 MB of heap: an agent (registry, SDK,
      // classes) leaked per cycle would exceed these bounds over 17 cycles many times over.
      assertThat(last.heapUsed() - third.heapUsed()).isLessThan(8L << 20);
      assertThat(last.metaspaceUsed() - third.metaspaceUsed()).isLessThan(4L << 20);
      // JDK 17 still adds about 100 KB of metaspace a cycle here (25: flat), all of it in the boot,
      // platform and app loaders whose classes are redefined. It is HotSpot's, reproduced without
      // Redwing: the constant pool of a redefined class that catches Throwable grows and leaks at
      // each redefinition (JDK-8308762, fixed in 22; DispatcherServlet, ServerHttpObservationFilter
      // and HttpClientImpl, about 60 KB a cycle), and 17 keeps more of each redefined version that
      // ran (a transformer adding a NOP, one request per version: 20 KB each on 17, 6 KB on 25).
      // What an agent leak would add is flat: class loaders, and the agent's classes.
      assertThat(last.classLoaders()).isEqualTo(third.classLoaders());
      assertThat(last.agentClasses() - third.agentClasses())
          .as("agent classes loaded again; one copy is %d", third.agentClasses())
          .isLessThan(third.agentClasses() / 10);
      assertThat(last.threads().size()).isLessThanOrEqualTo(third.threads().size());
      // the relocated Prometheus library's one static scheduler thread, which its JVM allocation
      // counter starts at the first garbage collection for its exemplars
      assertThat(last.threads())
          .filteredOn(name -> !before.threads().contains(name))
          .allMatch(name -> name.startsWith("prometheus-metrics-scheduler"), "scheduler only");
    }
  }

  /** Server spans of the test's own requests with {@code query}. */
  private static Predicate<OtlpReceiver.ReceivedSpan> tagged(String query) {
    return span -> query.equals(span.attribute("url.query"));
  }

  private static double awaitCount(Demo demo, String metric, double atLeast) {
    return Await.value(
        metric + " >= " + atLeast,
        Await.EXPORT,
        () -> {
          double value = demo.scrape().valueOrZero(metric, SERIES.get(metric));
          return value >= atLeast ? value : null;
        });
  }

  static long count(String statusOutput, String category) {
    Matcher m =
        Pattern.compile("(?m)^  " + Pattern.quote(category) + " +(\\d+)$").matcher(statusOutput);
    assertThat(m.find()).as(category + " in " + statusOutput).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static ProbeAgent.Measure awaitNoAgentThreads(String pid) {
    List<String> left = new CopyOnWriteArrayList<>();
    try {
      return Await.value(
          "no agent threads left in " + pid,
          Await.EXPORT,
          () -> {
            ProbeAgent.Measure m = measure(pid);
            left.clear();
            m.threads().stream().filter(t -> AGENT_THREAD.matcher(t).matches()).forEach(left::add);
            return left.isEmpty() ? m : null;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; still running: " + left, e);
    }
  }

  /**
   * The class file the JVM hands a transformer of {@code className}, also kept in the work
   * directory as {@code <class>-<label>.class} for {@code javap -v}.
   */
  private static byte[] classFile(String pid, String className, String label) {
    try {
      Path file = probe(pid, "class;" + className);
      byte[] bytes = Files.readAllBytes(file);
      assertThat(bytes).as(className + " seen by a retransformer").isNotEmpty();
      Files.move(
          file,
          WORK.resolve(className + "-" + label + ".class"),
          StandardCopyOption.REPLACE_EXISTING);
      return bytes;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * SHA-256 of the class file written again with a constant pool of only the entries it uses, in
   * the order it uses them: every member, attribute, annotation, frame and instruction counts.
   */
  private static String canonical(byte[] classFile) {
    ClassWriter writer = new ClassWriter(0); // not given the reader: a fresh constant pool
    new ClassReader(classFile).accept(writer, 0);
    return sha256(writer.toByteArray());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProbeAgent.Measure measure(String pid) {
    try {
      return ProbeAgent.Measure.parse(Files.readString(probe(pid, "measure")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs the probe agent in {@code pid}; returns the file it wrote. */
  private static Path probe(String pid, String what) {
    try {
      Path out = Files.createTempFile(WORK, "probe", ".out");
      try (ForkedApp run =
          ForkedApp.builder("probe")
              .mainClass(ProbeAgent.jar(WORK).toString(), ProbeAgent.class.getName())
              .arg(pid)
              .arg(what + ";" + out)
              .start()) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).as(run.output()).isZero();
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
