package io.redwing.it;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real Prometheus (Debian's package) on a free loopback port, with its own fresh TSDB. */
final class PrometheusServer implements AutoCloseable {
  private static final Pattern SCALAR = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

  private final ForkedApp process;
  private final int port;

  private PrometheusServer(ForkedApp process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Prometheus on {@code config} and waits until it is ready. */
  static PrometheusServer start(String name, Path work, Path config, String... flags)
      throws IOException {
    int port = FreePort.find();
    List<String> command = new ArrayList<>();
    command.add("prometheus");
    command.add("--config.file=" + config);
    command.add("--storage.tsdb.path=" + Files.createTempDirectory(work, "tsdb"));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--log.level=warn");
    command.addAll(List.of(flags));
    PrometheusServer server =
        new PrometheusServer(
            ForkedApp.builder(name).program(command.toArray(new String[0])).start(), port);
    Await.until(
        name + " ready on " + port,
        Await.STARTUP,
        () -> Http.status("http://127.0.0.1:" + port + "/-/ready") == 200);
    return server;
  }

  /** Where Prometheus serves, e.g. {@code http://127.0.0.1:9090}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The body of a GET of Prometheus's HTTP API, e.g. {@code /api/v1/label/__name__/values}. */
  String api(String pathAndQuery) {
    return Http.get(url() + pathAndQuery).body();
  }

  /** The body of an instant query. */
  String queryBody(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The single value of an instant query, or null while it has none. */
  String query(String promql) {
    Matcher matcher = SCALAR.matcher(queryBody(promql));
    return matcher.find() ? matcher.group(1) : null;
  }

  @Override
  public void close() {
    process.close();
  }
}
