package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every Redis cluster client must give against a real three-master cluster: one operation per
 * command the application issued, named after it, with the address and port of the master that
 * answered it, a child of the span current when it was issued; a command that master redirected
 * (MOVED after a slot moved, ASK while it moves) is still one operation, on the master that served
 * it in the end, with no error and no operation for the ASKING the client sends first. A client's
 * test only says how to connect, set and get.
 */
public abstract class RedisClusterContract {
  @RegisterExtension protected static final RedisCluster redis = new RedisCluster();

  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  /** What clients say on their own: connection handshakes, slot map and topology reads. */
  private static final List<String> CLIENT_OWN =
      List.of("HELLO", "CLIENT", "AUTH", "CLUSTER", "INFO");

  protected final String key = "redwing:cluster:" + UUID.randomUUID();
  protected String keyElsewhere;

  /** Connects a cluster client that knows the master on {@code seedPort} only. */
  protected abstract void connect(int seedPort) throws Exception;

  protected abstract void disconnect() throws Exception;

  protected abstract void set(String key, String value) throws Exception;

  protected abstract String get(String key) throws Exception;

  /** The instrumentation name the client's operations carry. */
  protected abstract String instrumentation();

  @BeforeEach
  void connectToTheCluster() throws Exception {
    keyElsewhere = redis.keyOnAnotherNode(key);
    connect(redis.ports().get(0));
    agent.clear();
  }

  @AfterEach
  void disconnectFromTheCluster() throws Exception {
    disconnect();
  }

  @Test
  void eachCommandIsOneOperationWithTheAddressOfTheMasterThatServedIt() throws Exception {
    try (var request = agent.makeCurrent("request-span")) {
      set(key, "v");
      assertThat(get(keyElsewhere)).isNull();
    }

    List<DbClientOperation> ops = awaitEnded(2);
    assertThat(ops)
        .extracting(
            op -> op.request().operationName,
            op -> op.request().serverAddress,
            op -> op.request().serverPort,
            op -> op.request().instrumentation,
            op -> op.request().system)
        .containsExactly(
            tuple("SET", "127.0.0.1", redis.portServing(key), instrumentation(), "redis"),
            tuple("GET", "127.0.0.1", redis.portServing(keyElsewhere), instrumentation(), "redis"));
    assertThat(ops.get(0).request().serverPort).isNotEqualTo(ops.get(1).request().serverPort);
    assertThat(ops)
        .allSatisfy(
            op -> {
              assertThat(op.error()).isNull();
              assertThat(op.parentContext()).isEqualTo("request-span");
              assertThat(op.batch()).isNull();
            });
  }

  @Test
  void aCommandMovedToAnotherMasterIsOneOperationOnTheMasterThatServedIt() throws Exception {
    set(key, "v");
    int target = redis.otherPort(key);
    redis.moveSlot(key, target);
    agent.clear();

    try (var request = agent.makeCurrent("request-span")) {
      // the client still maps the slot to the old master, which answers MOVED
      assertThat(get(key)).isEqualTo("v");
    }

    DbClientOperation op = awaitEnded(1).get(0);
    assertThat(op.request().operationName).isEqualTo("GET");
    assertThat(op.request().serverPort).isEqualTo(target);
    assertThat(op.error()).isNull();
    assertThat(op.reply()).isNotNull();
    assertThat(op.parentContext()).isEqualTo("request-span");
    // a new connection's handshake may fail on its own (CLIENT SETINFO before Redis 7.2)
    assertThat(agent.dbClientOperations())
        .noneMatch(o -> o.error() != null && String.valueOf(o.error()).contains("MOVED"));
  }

  @Test
  void aCommandAskedToAnotherMasterIsOneOperationOnItWithoutTheAsking() throws Exception {
    int source = redis.portServing(key);
    int target = redis.otherPort(key);
    redis.beginMigration(key, target);
    try {
      try (var request = agent.makeCurrent("request-span")) {
        // the old master does not hold the key and the slot is migrating: it answers ASK
        set(key, "v");
      }

      DbClientOperation op = awaitEnded(1).get(0);
      assertThat(op.request().operationName).isEqualTo("SET");
      assertThat(op.request().serverPort).isEqualTo(target).isNotEqualTo(source);
      assertThat(op.error()).isNull();
      assertThat(op.parentContext()).isEqualTo("request-span");
      assertThat(agent.dbClientOperations())
          .noneMatch(o -> o.request().operationName.equals("ASKING"));
    } finally {
      redis.moveSlot(key, target);
    }
  }

  /**
   * The application's operations once {@code count} of them ended (an async client may end them on
   * its own thread a moment after the call returned); exactly that many.
   */
  protected static List<DbClientOperation> awaitEnded(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<DbClientOperation> ops = applications();
    while (ops.stream().filter(DbClientOperation::ended).count() < count
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      ops = applications();
    }
    assertThat(ops).hasSize(count).allSatisfy(op -> assertThat(op.ended()).isTrue());
    return ops;
  }

  /** The operations of the application's commands, without those the client sends on its own. */
  protected static List<DbClientOperation> applications() {
    return agent.dbClientOperations().stream()
        .filter(op -> !CLIENT_OWN.contains(op.request().operationName))
        .toList();
  }
}
