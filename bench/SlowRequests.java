import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Which of the slowest requests coincided with what the JVM and the agent did meanwhile, for
 * bench/slow-requests.sh. wrk reports percentiles only, so this is its own load: each connection
 * requests the mix in turn, pausing between requests, and each request's start and latency are kept.
 *
 * <pre>
 *   java SlowRequests.java load URL CONNECTIONS DELAY_MS SECONDS PATHS OUT.csv
 *   java SlowRequests.java analyse OUT.csv RECORDING.jfr SINK_PORT
 * </pre>
 *
 * The recording holds jdk.Compilation, jdk.GCPhasePause, jdk.SafepointBegin and jdk.SocketWrite
 * events; a write to the OTLP sink's port stands for the export, with the 5 ms before it, when
 * the batch was serialised.
 */
public class SlowRequests {
  private static final double EXPORT_LEAD_MS = 5;

  public static void main(String[] args) throws Exception {
    if (args.length == 7 && args[0].equals("load")) {
      load(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]),
          args[5].split(" "), Path.of(args[6]));
    } else if (args.length == 4 && args[0].equals("analyse")) {
      analyse(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
    } else {
      System.err.println("usage: load URL CONNECTIONS DELAY_MS SECONDS PATHS OUT.csv"
          + " | analyse OUT.csv RECORDING.jfr SINK_PORT");
      System.exit(2);
    }
  }

  private static void load(String base, int connections, long delayMs, long seconds,
      String[] paths, Path out) throws Exception {
    long wall0 = System.currentTimeMillis();
    long nano0 = System.nanoTime();
    long end = nano0 + seconds * 1_000_000_000L;
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int first = c * 1000;
      Thread t = new Thread(() -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int n = first + 1; System.nanoTime() < end; n++) {
          // the same ids as bench/wrk/mix.lua
          String path = paths[n % paths.length].replace("{id}", Integer.toString((n * 7919) % 1000 + 1));
          long t0 = System.nanoTime();
          try {
            int status = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
            long t1 = System.nanoTime();
            lines.add(String.format("%.3f,%.3f,%s,%d", wall0 + (t0 - nano0) / 1e6, (t1 - t0) / 1e6,
                path.replaceAll("[0-9]+", "N"), status));
            Thread.sleep(delayMs);
          } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e, e);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Files.write(out, lines);
  }

  private record Request(double startMs, double latencyMs, String path, int status) {
    double endMs() {
      return startMs + latencyMs;
    }
  }

  private record Span(double fromMs, double toMs) {}

  private static void analyse(Path csv, Path recording, int sinkPort) throws IOException {
    List<Request> requests = new ArrayList<>();
    for (String line : Files.readAllLines(csv)) {
      String[] f = line.split(",");
      requests.add(new Request(Double.parseDouble(f[0]), Double.parseDouble(f[1]), f[2],
          Integer.parseInt(f[3])));
    }
    Map<String, List<Span>> busy = new LinkedHashMap<>();
    for (String kind : List.of("compilation", "C2 compilation", "GC pause", "safepoint", "export")) {
      busy.put(kind, new ArrayList<>());
    }
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      double from = millis(e.getStartTime());
      double to = millis(e.getEndTime());
      switch (e.getEventType().getName()) {
        case "jdk.Compilation" -> {
          busy.get("compilation").add(new Span(from, to));
          if (e.getInt("compileLevel") == 4) {
            busy.get("C2 compilation").add(new Span(from, to));
          }
        }
        case "jdk.GCPhasePause" -> busy.get("GC pause").add(new Span(from, to));
        case "jdk.SafepointBegin" -> busy.get("safepoint").add(new Span(from, to));
        case "jdk.SocketWrite" -> {
          if (e.getInt("port") == sinkPort) {
            busy.get("export").add(new Span(from - EXPORT_LEAD_MS, to));
          }
        }
        default -> { }
      }
    }
    List<Double> sorted = requests.stream().map(Request::latencyMs).sorted().toList();
    double p50 = sorted.get(sorted.size() / 2);
    double p99 = sorted.get((int) (sorted.size() * 0.99));
    double from = requests.stream().mapToDouble(Request::startMs).min().orElse(0);
    double to = requests.stream().mapToDouble(Request::endMs).max().orElse(0);
    long errors = requests.stream().filter(r -> r.status() / 100 != 2).count();
    List<Request> slow = requests.stream().filter(r -> r.latencyMs() >= p99).toList();
    System.out.printf("%d requests (%d not 2xx), p50 %.2f ms, p99 %.2f ms%n", requests.size(),
        errors, p50, p99);
    System.out.printf("%-16s %7s %12s %14s %16s%n", "", "events", "busy (time)",
        "all requests", "slowest 1%");
    for (Map.Entry<String, List<Span>> kind : busy.entrySet()) {
      List<Span> spans = kind.getValue().stream()
          .filter(s -> s.toMs() >= from && s.fromMs() <= to).toList();
      double busyMs = spans.stream().mapToDouble(s -> s.toMs() - s.fromMs()).sum();
      long all = requests.stream().filter(r -> overlaps(spans, r)).count();
      long slowHit = slow.stream().filter(r -> overlaps(spans, r)).count();
      System.out.printf("%-16s %7d %11.1f%% %13.1f%% %15.1f%%%n", kind.getKey(), spans.size(),
          100 * busyMs / (to - from), 100.0 * all / requests.size(), 100.0 * slowHit / slow.size());
    }
  }

  private static boolean overlaps(List<Span> spans, Request r) {
    for (Span s : spans) {
      if (s.fromMs() < r.endMs() && s.toMs() > r.startMs()) {
        return true;
      }
    }
    return false;
  }

  private static double millis(Instant t) {
    return t.getEpochSecond() * 1000.0 + t.getNano() / 1e6;
  }
}
