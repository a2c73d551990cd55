package io.redwing.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM started by a test: stdout and stderr are kept in memory and copied to a log file, and the
 * process is killed when closed or, at the latest, when the test JVM exits.
 */
final class ForkedApp implements AutoCloseable {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "forked-app-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Writer logWriter;

  // Pump threads append while the test thread reads: StringBuffer's locking is the point here.
  @SuppressWarnings("JdkObsolete")
  private final StringBuffer stdout = new StringBuffer();

  @SuppressWarnings("JdkObsolete")
  private final StringBuffer stderr = new StringBuffer();

  @SuppressWarnings("JdkObsolete")
  private final StringBuffer combined = new StringBuffer();

  private final List<Thread> pumps = new ArrayList<>();

  private ForkedApp(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logWriter =
        Files.newBufferedWriter(
            log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    pumps.add(pump(process.getInputStream(), stdout, "out"));
    pumps.add(pump(process.getErrorStream(), stderr, "err"));
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  long pid() {
    return process.pid();
  }

  String stdout() {
    return stdout.toString();
  }

  String stderr() {
    return stderr.toString();
  }

  /** Both streams, line by line in the order they arrived. */
  String output() {
    return combined.toString();
  }

  List<String> stderrLines() {
    return stderr().lines().collect(Collectors.toList());
  }

  List<String> stderrLinesContaining(String text) {
    return stderr().lines().filter(line -> line.contains(text)).collect(Collectors.toList());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the agent in this JVM answers 200 on {@code /ready} over plain HTTP on 127.0.0.1.
   * On a timeout the failure's first line, which is all a CI summary shows, says what {@code
   * /ready} last answered and what the agent printed, and the threads go to the log.
   */
  void awaitAgentReady(int metricsPort) {
    String url = "http://127.0.0.1:" + metricsPort + "/ready";
    int[] last = {-1};
    try {
      Await.until(
          name + "'s agent /ready == 200 on port " + metricsPort,
          Await.STARTUP,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError(name + " exited:\n" + output());
            }
            last[0] = Http.status(url);
            return last[0] == 200;
          });
    } catch (AssertionError e) {
      if (!process.isAlive()) {
        throw e;
      }
      throw new AssertionError(
          e.getMessage()
              + " (last answer "
              + (last[0] == -1 ? "none" : Integer.toString(last[0]))
              + "; the agent said: "
              + String.join(" | ", stderrLinesContaining("[redwing]"))
              + "; threads in "
              + dumpThreadsToLog()
              + ")",
          e);
    }
  }

  /**
   * Appends the threads of a forked JVM to its log, for a wait that timed out: a hang is only
   * diagnosable from what every thread was doing. Returns the log's path.
   */
  private Path dumpThreadsToLog() {
    Path jcmd = Path.of(Artifacts.java()).resolveSibling("jcmd");
    try {
      // To a file, so that the timeout holds even if jcmd hangs on the stuck JVM.
      Path threads = Files.createTempFile("redwing-threads", ".txt");
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid(), 10), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(threads.toFile())
              .start();
      if (!dump.waitFor(20, TimeUnit.SECONDS)) {
        dump.destroyForcibly();
      }
      writeLog("threads", "\n" + Files.readString(threads));
      Files.delete(threads);
    } catch (IOException e) {
      writeLog("threads", "jcmd failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return log;
  }

  void awaitOutput(String text, Duration timeout) {
    Await.until(
        name + " to print \"" + text + "\" (log: " + log + ")",
        timeout,
        () -> {
          if (combined.indexOf(text) >= 0) {
            return true;
          }
          if (!process.isAlive()) {
            // An Error, not an exception, so Await stops polling at once.
            throw new AssertionError(
                name + " exited with " + process.exitValue() + ":\n" + output());
          }
          return false;
        });
  }

  /** Stops the process as SIGTERM does and waits for it to end; returns the exit code. */
  int terminate(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  /** Waits for the process to end and its output to be read completely; returns the exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
      }
      for (Thread pump : pumps) {
        pump.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (Thread pump : pumps) {
        pump.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      RUNNING.remove(process);
      closeLog();
    }
  }

  private Thread pump(InputStream stream, StringBuffer target, String label) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  target.append(line).append('\n');
                  combined.append(line).append('\n');
                  writeLog(label, line);
                }
              } catch (IOException e) {
                // The process was killed while we read: its output ends here.
              }
            },
            name + "-" + label);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void writeLog(String label, String line) {
    synchronized (logWriter) {
      try {
        logWriter.write(label + " | " + line + "\n");
        logWriter.flush();
      } catch (IOException e) {
        // The log file is a convenience; the in-memory copy is what tests assert on.
      }
    }
  }

  private void closeLog() {
    synchronized (logWriter) {
      try {
        logWriter.close();
      } catch (IOException e) {
        // Nothing more to write.
      }
    }
  }

  static final class Builder {
    private final String name;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<String> launch = List.of();
    private List<String> program = List.of();

    private Builder(String name) {
      this.name = name;
    }

    Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    Builder javaagent(Path agentJar, String options) {
      String suffix = options == null || options.isEmpty() ? "" : "=" + options;
      return jvmArg("-javaagent:" + agentJar + suffix);
    }

    Builder jar(Path jar) {
      launch = List.of("-jar", jar.toString());
      return this;
    }

    Builder mainClass(String classPath, String mainClass) {
      launch = List.of("-cp", classPath, mainClass);
      return this;
    }

    /** Runs {@code command} instead of a JVM; JVM arguments are then ignored. */
    Builder program(String... command) {
      program = List.of(command);
      return this;
    }

    Builder arg(String arg) {
      args.add(arg);
      return this;
    }

    Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    ForkedApp start() {
      List<String> command = new ArrayList<>();
      if (program.isEmpty()) {
        command.add(Artifacts.java());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArgs);
        command.addAll(launch);
      } else {
        command.addAll(program);
      }
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command);
      // The developer's own agent settings must not leak into a test.
      builder
          .environment()
          .keySet()
          .removeIf(
              key ->
                  key.startsWith("OTEL_")
                      || key.startsWith("REDWING_")
                      || key.equals("JAVA_TOOL_OPTIONS")
                      || key.equals("PORT"));
      builder.environment().putAll(env);
      Path log = Artifacts.workDirectory("logs").resolve(name + "-" + System.nanoTime() + ".log");
      try {
        Files.writeString(log, String.join(" ", command) + "\n" + env + "\n");
        Process process = builder.start();
        RUNNING.add(process);
        System.out.println("[it] started " + name + " pid " + process.pid() + ", log " + log);
        return new ForkedApp(name, process, log);
      } catch (IOException e) {
        throw new UncheckedIOException("starting " + command, e);
      }
    }
  }
}
