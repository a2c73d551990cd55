package io.redwing.instrumentation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free port, which the test may freeze (SIGSTOP, so commands
 * time out) or kill (so the connection breaks) without touching the shared one on 6379.
 */
public final class PrivateRedisServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private PrivateRedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static PrivateRedisServer start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Process process = launch(port);
    PrivateRedisServer server = new PrivateRedisServer(process, port);
    server.awaitPong();
    return server;
  }

  /**
   * Starts a redis-server on 127.0.0.1:{@code port} that keeps nothing on disk and logs nowhere,
   * with {@code options} added ({@code --cluster-enabled yes ...}).
   */
  static Process launch(int port, String... options) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                ""));
    command.addAll(List.of(options));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  public int port() {
    return port;
  }

  /** Stops the process without letting it answer: clients waiting on a reply time out. */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Kills the server at once; open connections break. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      thaw();
      kill();
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  /** Waits until the server answers PING; the server needs a moment to bind its port. */
  private void awaitPong() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = new byte[7];
        if (in.readNBytes(reply, 0, 7) == 7
            && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server on port " + port + " did not answer PING in 10 s");
  }
}
