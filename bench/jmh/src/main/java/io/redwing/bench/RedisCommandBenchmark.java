package io.redwing.bench;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.bootstrap.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Redis advice costs per command, with the real dispatcher behind it: {@code jedis} is the
 * sync path (start at the write, queue on the connection, end at the reply read), {@code lettuce}
 * the async one (start and register at dispatch, take and end at completion). Both report a GET's
 * reply, so the cache counter is included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisCommandBenchmark {
  private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VALUE = "value".getBytes(StandardCharsets.US_ASCII);

  @Param({"metrics", "metrics+span"})
  public String record;

  private final Object connection = new Object();
  private OpenTelemetrySdk sdk;

  @Setup
  public void install() {
    OpenTelemetry openTelemetry = OpenTelemetry.noop();
    if (record.contains("span")) {
      sdk = ServerRequestBenchmark.discardingSdk();
      openTelemetry = sdk;
    }
    Operations.install(
        new OperationDispatcher(
            new RedMetrics("bench", 2000), openTelemetry, "bench", Set.of(), false));
  }

  @TearDown
  public void uninstall() {
    Operations.uninstall();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public Operation jedis() {
    Operation op = RedisCalls.start("jedis", GET, 1, "127.0.0.1", 6379, null);
    RedisCalls.sent(connection, op, null);
    RedisCalls.replied(connection, VALUE, null);
    return op;
  }

  @Benchmark
  public Operation lettuce() {
    Object command = new Object();
    RedisCalls.dispatched(command, RedisCalls.start("lettuce", "GET", 1, null, 0, null));
    Operation op = RedisCalls.take(command);
    RedisCalls.completed(op, "value");
    return op;
  }
}
