package io.redwing.instrumentation.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis cluster of three masters of the test class's own, each a redis-server on a free port in a
 * temporary directory, joined by {@code redis-cli --cluster create}; register it as a static
 * extension. It fails, never skips, when redis-server or redis-cli cannot be run: a cluster test
 * that silently did not run would hide a broken instrumentation.
 *
 * <p>It can move a slot to another node while a client keeps its old slot map, which makes that
 * client's next command on the slot a MOVED redirect, or leave a slot half migrated, which makes a
 * command on a key not yet on the old node an ASK redirect.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback {
  private static final int NODES = 3;
  private static final long TIMEOUT_SECONDS = 30;
  private static final int FORMING_ATTEMPTS = 3;

  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** The ports of the three masters, in the order they were created. */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int portServing(String key) throws IOException, InterruptedException {
    return portServingSlot(slot(key));
  }

  public int slot(String key) throws IOException, InterruptedException {
    return Integer.parseInt(cli(ports.get(0), "CLUSTER", "KEYSLOT", key).trim());
  }

  /** {@code key} with a suffix that puts it on another master than {@code key} itself. */
  public String keyOnAnotherNode(String key) throws IOException, InterruptedException {
    int node = portServing(key);
    for (int i = 0; i < 100; i++) {
      String candidate = key + ":" + i;
      if (portServing(candidate) != node) {
        return candidate;
      }
    }
    throw new IllegalStateException("no key on another node than " + key);
  }

  /** A master that does not serve {@code key}'s slot. */
  public int otherPort(String key) throws IOException, InterruptedException {
    int serving = portServing(key);
    return ports.stream().filter(p -> p != serving).findFirst().orElseThrow();
  }

  /**
   * Moves {@code key}'s slot, with its keys, to the master on {@code target}, and tells every
   * master: a client that cached the old owner gets MOVED on its next command there.
   */
  public void moveSlot(String key, int target) throws IOException, InterruptedException {
    int slot = slot(key);
    int source = portServingSlot(slot);
    beginMigration(slot, source, target);
    String keys = cli(source, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "1000");
    for (String each : keys.split("\n")) {
      if (!each.isBlank()) {
        expectOk(cli(source, "MIGRATE", "127.0.0.1", Integer.toString(target), each, "0", "5000"));
      }
    }
    String targetId = nodeId(target);
    for (int port : ports) {
      expectOk(cli(port, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId));
    }
    awaitAgreement(slot, target);
  }

  /**
   * Starts moving {@code key}'s slot to {@code target} and stops half way: its old owner answers a
   * command on a key it does not hold with ASK. {@link #moveSlot} on the same key completes it.
   */
  public void beginMigration(String key, int target) throws IOException, InterruptedException {
    int slot = slot(key);
    beginMigration(slot, portServingSlot(slot), target);
  }

  private void beginMigration(int slot, int source, int target)
      throws IOException, InterruptedException {
    String s = Integer.toString(slot);
    expectOk(cli(target, "CLUSTER", "SETSLOT", s, "IMPORTING", nodeId(source)));
    expectOk(cli(source, "CLUSTER", "SETSLOT", s, "MIGRATING", nodeId(target)));
  }

  /**
   * Forms the cluster, again on new ports if it did not converge: on a busy machine a node has, now
   * and then, still known only two of the three after the whole timeout (CI of 2026-12-05), which
   * says nothing about the instrumentation the test is for. Each retry is said on stderr.
   */
  private void start() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        startOnce();
        return;
      } catch (IllegalStateException notFormed) {
        String reason = String.valueOf(notFormed.getMessage());
        if (attempt == FORMING_ATTEMPTS || reason.startsWith("cannot run")) {
          throw notFormed;
        }
        System.err.println(
            "RedisCluster: forming the cluster again, attempt "
                + attempt
                + " failed: "
                + reason.lines().findFirst().orElse(""));
      }
    }
  }

  private void startOnce() throws IOException, InterruptedException {
    ports.clear();
    dir = Files.createTempDirectory("redwing-cluster");
    try {
      for (int i = 0; i < NODES; i++) {
        int port = freePort();
        ports.add(port);
        processes.add(startNode(port));
      }
      for (int port : ports) {
        awaitReply(port, "PONG", "PING");
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create);
      for (int port : ports) {
        awaitReply(port, "cluster_state:ok", "CLUSTER", "INFO");
        awaitReply(port, "cluster_known_nodes:" + NODES, "CLUSTER", "INFO");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  private Process startNode(int port) throws IOException {
    try {
      return PrivateRedisServer.launch(
          port,
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          dir.resolve("nodes-" + port + ".conf").toString(),
          "--dir",
          dir.toString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run redis-server (Redis 7 or newer, Debian package redis-server) for the"
              + " cluster tests",
          e);
    }
  }

  private void stop() throws IOException, InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    processes.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      dir = null;
    }
  }

  /** A free port whose cluster bus port (10000 higher) is free as well. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      if (port + 10000 > 65535) {
        continue;
      }
      try (ServerSocket bus = new ServerSocket(port + 10000)) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port pair for a cluster node");
  }

  private int portServingSlot(int slot) throws IOException, InterruptedException {
    for (int port : ports) {
      for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
        if (line.contains("myself") && serves(line, slot)) {
          return port;
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /**
   * Whether a CLUSTER NODES line lists {@code slot} among its ranges ({@code 0-5460}, {@code 7}).
   */
  private static boolean serves(String line, int slot) {
    String[] fields = line.trim().split(" ");
    for (int i = 8; i < fields.length; i++) {
      if (fields[i].startsWith("[")) {
        continue;
      }
      String[] range = fields[i].split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private void awaitAgreement(int slot, int target) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    String expected = "127.0.0.1:" + target;
    while (true) {
      boolean agreed = true;
      for (int port : ports) {
        agreed &= portOfSlotSeenBy(port, slot) == target;
      }
      if (agreed) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the masters do not agree that " + expected + " has it");
      }
      Thread.sleep(20);
    }
  }

  /** The port of the owner of {@code slot} in the view of the node on {@code port}. */
  private int portOfSlotSeenBy(int port, int slot) throws IOException, InterruptedException {
    for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
      if (!line.isBlank() && serves(line, slot)) {
        String address = line.split(" ")[1];
        return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
      }
    }
    return -1;
  }

  private String nodeId(int port) throws IOException, InterruptedException {
    return cli(port, "CLUSTER", "MYID").trim();
  }

  private static void expectOk(String reply) {
    if (!reply.trim().equals("OK")) {
      throw new IllegalStateException("redis-cli answered " + reply);
    }
  }

  private static void awaitReply(int port, String expected, String... command)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = cli(port, command);
      } catch (IllegalStateException notListeningYet) {
        last = notListeningYet.getMessage();
      }
      if (last.contains(expected)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "node " + port + " did not answer " + expected + " in time; last: " + last);
  }

  private static String cli(int port, String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p"));
    line.add(Integer.toString(port));
    line.addAll(List.of(command));
    return run(line);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " for the cluster tests", e);
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
