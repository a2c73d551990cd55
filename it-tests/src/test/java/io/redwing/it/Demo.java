package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo application in a forked JVM, with or without the agent, on free ports. */
final class Demo implements AutoCloseable {

  static final String LISTENING = "Redwing demo listening on";

  final ForkedApp app;
  final int port;
  final int metricsPort;

  private Demo(ForkedApp app, int port, int metricsPort) {
    this.app = app;
    this.port = port;
    this.metricsPort = metricsPort;
  }

  /** Starts the demo with {@code -javaagent:} and waits until it and the agent are ready. */
  static Demo withAgent(String name, Map<String, String> env, String... jvmArgs) {
    Demo demo = start(name, true, env, jvmArgs);
    demo.awaitListening();
    demo.awaitReady();
    return demo;
  }

  /** Starts the demo with the agent but waits only for the application, not for /ready. */
  static Demo withAgentNotAwaitingReady(String name, Map<String, String> env) {
    Demo demo = start(name, true, env);
    demo.awaitListening();
    return demo;
  }

  static Demo withoutAgent(String name, Map<String, String> env, String... jvmArgs) {
    Demo demo = start(name, false, env, jvmArgs);
    demo.awaitListening();
    return demo;
  }

  private static Demo start(
      String name, boolean agent, Map<String, String> env, String... jvmArgs) {
    int port = FreePort.find();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("PORT", Integer.toString(port));
    all.put("OTEL_TRACES_EXPORTER", "none");
    // A free port unless the test chose one (or a bad value) itself.
    all.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(FreePort.find()));
    all.putAll(env);
    int metricsPort = parsePort(all.get("OTEL_EXPORTER_PROMETHEUS_PORT"));
    ForkedApp.Builder builder = ForkedApp.builder(name).env(all);
    for (String jvmArg : jvmArgs) {
      builder.jvmArg(jvmArg);
    }
    if (agent) {
      builder.javaagent(Artifacts.agentJar(), null);
    }
    return new Demo(builder.jar(Artifacts.demoJar()).start(), port, metricsPort);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 9464;
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  String agentUrl(String path) {
    return "http://127.0.0.1:" + metricsPort + path;
  }

  Scrape scrape() {
    return Scrape.of(agentUrl("/metrics"));
  }

  HttpResponse<String> get(String path, String... headers) {
    return Http.get(url(path), headers);
  }

  /** GETs {@code path} and asserts the demo answered as it does without an agent. */
  void getOk(String path, String expectedBody) {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    assertThat(response.body()).as("GET %s", path).isEqualTo(expectedBody);
  }

  void awaitListening() {
    app.awaitOutput(LISTENING, Await.STARTUP);
  }

  void awaitReady() {
    app.awaitAgentReady(metricsPort);
  }

  @Override
  public void close() {
    app.close();
  }
}
