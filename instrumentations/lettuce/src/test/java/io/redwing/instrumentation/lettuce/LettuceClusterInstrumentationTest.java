package io.redwing.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.RedisCluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LettuceClusterInstrumentationTest {
  @RegisterExtension static final RedisCluster redis = new RedisCluster();
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  /** What the client says on its own: connection handshakes and topology reads. */
  private static final List<String> CLIENT_OWN = List.of("HELLO", "CLIENT", "CLUSTER", "INFO");

  private final String key = "redwing:cluster:" + UUID.randomUUID();
  private String keyElsewhere;
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> connection;

  @BeforeEach
  void connect() throws Exception {
    keyElsewhere = redis.keyOnAnotherNode(key);
    client = RedisClusterClient.create(RedisURI.create("127.0.0.1", redis.ports().get(0)));
    connection = client.connect();
    agent.clear();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void eachSyncCommandIsOneOperationWithTheAddressOfTheNodeThatServedIt() throws Exception {
    try (var request = agent.makeCurrent("request-span")) {
      connection.sync().set(key, "v");
      assertThat(connection.sync().get(keyElsewhere)).isNull();
    }

    List<DbClientOperation> ops = awaitEnded(2);
    assertThat(ops)
        .extracting(
            op -> op.request().operationName,
            op -> op.request().serverAddress,
            op -> op.request().serverPort,
            op -> op.request().instrumentation)
        .containsExactly(
            tuple("SET", "127.0.0.1", redis.portServing(key), "lettuce"),
            tuple("GET", "127.0.0.1", redis.portServing(keyElsewhere), "lettuce"));
    assertThat(ops.get(0).request().serverPort).isNotEqualTo(ops.get(1).request().serverPort);
    assertThat(ops)
        .allSatisfy(
            op -> {
              assertThat(op.error()).isNull();
              assertThat(op.parentContext()).isEqualTo("request-span");
            });
  }

  @Test
  void anAsyncCommandEndsWithItsReplyAsAChildOfTheSpanCurrentWhenIssued() throws Exception {
    connection.sync().set(key, "v");
    agent.clear();

    CompletableFuture<String> reply;
    try (var request = agent.makeCurrent("request-span")) {
      reply = connection.async().get(key).toCompletableFuture();
    }

    assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("v");
    DbClientOperation get = awaitEnded(1).get(0);
    assertThat(get.request().operationName).isEqualTo("GET");
    assertThat(get.request().serverPort).isEqualTo(redis.portServing(key));
    assertThat(get.parentContext()).isEqualTo("request-span");
    assertThat(get.reply()).isEqualTo("v");
  }

  @Test
  void aReactiveCommandIsOneOperationOnItsNode() throws Exception {
    String value;
    try (var request = agent.makeCurrent("request-span")) {
      value = connection.reactive().incr(keyElsewhere).map(String::valueOf).block();
    }

    assertThat(value).isEqualTo("1");
    DbClientOperation incr = awaitEnded(1).get(0);
    assertThat(incr.request().operationName).isEqualTo("INCR");
    assertThat(incr.request().serverPort).isEqualTo(redis.portServing(keyElsewhere));
    assertThat(incr.parentContext()).isEqualTo("request-span");
    assertThat(incr.error()).isNull();
  }

  @Test
  void aCommandMovedToAnotherNodeIsOneOperationOnTheNodeThatServedIt() throws Exception {
    connection.sync().set(key, "v");
    int target = redis.otherPort(key);
    redis.moveSlot(key, target);
    agent.clear();

    try (var request = agent.makeCurrent("request-span")) {
      // the client still maps the slot to the old node, which answers MOVED
      assertThat(connection.sync().get(key)).isEqualTo("v");
    }

    DbClientOperation get = awaitEnded(1).get(0);
    assertThat(get.request().operationName).isEqualTo("GET");
    assertThat(get.request().serverPort).isEqualTo(target);
    assertThat(get.error()).isNull();
    assertThat(get.parentContext()).isEqualTo("request-span");
  }

  @Test
  void aCommandAskedToAnotherNodeIsOneOperationOnIt() throws Exception {
    int source = redis.portServing(key);
    int target = redis.otherPort(key);
    redis.beginMigration(key, target);
    try {
      try (var request = agent.makeCurrent("request-span")) {
        // the old node does not hold the key and the slot is migrating: it answers ASK
        connection.sync().set(key, "v");
      }

      DbClientOperation set = awaitEnded(1).get(0);
      assertThat(set.request().operationName).isEqualTo("SET");
      assertThat(set.request().serverPort).isEqualTo(target).isNotEqualTo(source);
      assertThat(set.error()).isNull();
      assertThat(set.parentContext()).isEqualTo("request-span");
    } finally {
      redis.moveSlot(key, target);
    }
  }

  /** The application's commands, once {@code count} of them ended; exactly that many. */
  private static List<DbClientOperation> awaitEnded(int count) {
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

  private static List<DbClientOperation> applications() {
    return agent.dbClientOperations().stream()
        .filter(op -> !CLIENT_OWN.contains(op.request().operationName))
        .toList();
  }
}
