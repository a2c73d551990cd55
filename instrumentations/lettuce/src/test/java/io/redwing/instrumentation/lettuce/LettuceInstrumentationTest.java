package io.redwing.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.DbBatchOperation;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.PrivateRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LettuceInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private final String key = "redwing:test:" + UUID.randomUUID();
  private final String secret = "secret-" + UUID.randomUUID();
  private RedisCommands<String, String> redis;

  @BeforeAll
  static void connect() {
    client = RedisClient.create(RedisURI.create("127.0.0.1", 6379));
    connection = client.connect();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @BeforeEach
  void clear() {
    redis = connection.sync();
    redis.ping();
    agent.clear();
  }

  @AfterEach
  void cleanUp() {
    redis.del(key, key + ":other");
  }

  @Test
  void recordsEachSyncCommandWithItsNameAndArgumentCountOnly() {
    redis.set(key, secret);
    assertThat(redis.get(key)).isEqualTo(secret);

    List<DbClientOperation> ops = awaitEnded(2);
    assertThat(ops)
        .extracting(op -> op.request().operationName, op -> op.request().argumentCount)
        .containsExactly(tuple("SET", 2), tuple("GET", 1));
    for (DbClientOperation op : ops) {
      DbClientRequest facts = op.request();
      assertThat(facts.instrumentation).isEqualTo("lettuce");
      assertThat(facts.system).isEqualTo("redis");
      assertThat(facts.queryText).isNull();
      assertThat(op.error()).isNull();
      assertThat(op.startThread()).isEqualTo(Thread.currentThread().getName());
    }
    assertThat(ops.get(1).reply()).isEqualTo(secret);
  }

  @Test
  void endsAnAsyncCommandWhenItsReplyArrivesOnTheEventLoop() throws Exception {
    CompletableFuture<String> seenEnded = new CompletableFuture<>();
    CompletableFuture<String> value =
        connection
            .async()
            .get(key)
            .thenApply(
                v -> {
                  // the operation ended before the application's callback ran
                  seenEnded.complete(String.valueOf(agent.dbClientOperations().get(0).ended()));
                  return v;
                })
            .toCompletableFuture();

    assertThat(value.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(seenEnded.get(5, TimeUnit.SECONDS)).isEqualTo("true");
    DbClientOperation op = awaitEnded(1).get(0);
    assertThat(op.request().operationName).isEqualTo("GET");
    assertThat(op.startThread()).isEqualTo(Thread.currentThread().getName());
    assertThat(op.endThread()).isNotEqualTo(Thread.currentThread().getName());
    assertThat(op.reply()).isNull();
  }

  @Test
  void endsAReactiveCommandWhenItsReplyArrives() {
    redis.set(key, "v");
    agent.clear();

    List<KeyValue<String, String>> values =
        connection.reactive().mget(key, key + ":other").collectList().block(Duration.ofSeconds(5));

    assertThat(values).hasSize(2);
    DbClientOperation op = awaitEnded(1).get(0);
    assertThat(op.request().operationName).isEqualTo("MGET");
    assertThat(op.request().argumentCount).isEqualTo(2);
    assertThat(op.error()).isNull();
  }

  @Test
  void takesTheServerAndDatabaseIndexFromTheRedisUriAndTheLastSelect() throws Exception {
    RedisClient other =
        RedisClient.create(RedisURI.Builder.redis("127.0.0.1", 6379).withDatabase(3).build());
    try (StatefulRedisConnection<String, String> third = other.connect()) {
      agent.clear();

      third.sync().get(key);
      third.async().get(key).get(5, TimeUnit.SECONDS);
      third.reactive().get(key).block(Duration.ofSeconds(5));
      third.sync().select(5);
      third.sync().get(key);

      assertThat(awaitEnded(5))
          .extracting(
              op -> op.request().operationName,
              op -> op.request().serverAddress,
              op -> op.request().serverPort,
              op -> op.request().namespace)
          .containsExactly(
              tuple("GET", "127.0.0.1", 6379, "3"),
              tuple("GET", "127.0.0.1", 6379, "3"),
              tuple("GET", "127.0.0.1", 6379, "3"),
              tuple("SELECT", "127.0.0.1", 6379, "5"),
              tuple("GET", "127.0.0.1", 6379, "5"));
    } finally {
      other.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aTransactionIsOneBatchWhoseCommandsAreEachObserved() {
    redis.multi();
    redis.set(key, "a");
    redis.set(key + ":other", "b");
    redis.set(key, "c");
    TransactionResult result = redis.exec();

    assertThat(result.wasDiscarded()).isFalse();
    List<DbClientOperation> ops = awaitEnded(5);
    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(agent.dbBatches()).hasSize(1);
    assertThat(batch.ended()).isTrue();
    assertThat(batch.operationName()).isEqualTo("MULTI SET");
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.error()).isNull();
    assertThat(batch.request().serverPort).isEqualTo(6379);
    assertThat(batch.request().namespace).isEqualTo("0");
    assertThat(ops)
        .extracting(op -> op.request().operationName, op -> op.inBatch(batch))
        .containsExactly(
            tuple("MULTI", true),
            tuple("SET", true),
            tuple("SET", true),
            tuple("SET", true),
            tuple("EXEC", true));
  }

  @Test
  void aCommandFailingInsideExecFailsItsBatchByItsErrorCode() {
    redis.set(key, "text");
    agent.clear();

    redis.multi();
    redis.get(key);
    redis.lpush(key, "x");
    TransactionResult result = redis.exec();

    assertThat((Object) result.get(1)).isInstanceOf(RedisCommandExecutionException.class);
    awaitEnded(4);
    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(batch.operationName()).isEqualTo("MULTI");
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.error()).isInstanceOf(RedisCalls.ErrorReply.class).hasMessage("WRONGTYPE");
  }

  @Test
  void recordsAnErrorReplyByItsCodeAndTheApplicationSeesTheSameException() {
    redis.set(key, secret);
    agent.clear();

    Throwable seen = catchThrowable(() -> redis.lpush(key, "x"));

    assertThat(seen).isInstanceOf(RedisCommandExecutionException.class);
    assertThat(seen).hasMessageStartingWith("WRONGTYPE");
    DbClientOperation op = awaitEnded(1).get(0);
    assertThat(op.request().operationName).isEqualTo("LPUSH");
    assertThat(op.error()).isInstanceOf(RedisCalls.ErrorReply.class).hasMessage("WRONGTYPE");
  }

  @Test
  void endsACommandThatTimedOutAndTheApplicationSeesTheTimeout() throws Exception {
    try (PrivateRedisServer server = PrivateRedisServer.start()) {
      RedisClient slowClient = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
      try (StatefulRedisConnection<String, String> slow = slowClient.connect()) {
        slow.setTimeout(Duration.ofMillis(200));
        slow.sync().ping();
        server.freeze();
        agent.clear();

        Throwable seen = catchThrowable(() -> slow.sync().get(key));

        assertThat(seen).isInstanceOf(RedisCommandTimeoutException.class);
        DbClientOperation op = awaitEnded(1).get(0);
        assertThat(op.request().operationName).isEqualTo("GET");
        assertThat(op.error()).isNotNull();
        server.thaw();
      } finally {
        slowClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void failsTheCommandsOfAServerThatDiedAndTheApplicationSeesTheFailure() throws Exception {
    try (PrivateRedisServer server = PrivateRedisServer.start()) {
      RedisClient doomedClient = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
      try (StatefulRedisConnection<String, String> doomed = doomedClient.connect()) {
        doomed.setTimeout(Duration.ofSeconds(2));
        doomed.sync().set(key, "v");
        server.kill();
        agent.clear();

        Throwable seen = catchThrowable(() -> doomed.sync().get(key));

        assertThat(seen).isInstanceOf(RedisException.class);
        List<DbClientOperation> ops = awaitEnded(1);
        assertThat(ops).extracting(op -> op.request().operationName).containsExactly("GET");
        assertThat(ops.get(0).error()).isNotNull();
      } finally {
        doomedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void commandsHeldBackUntilAFlushAreOneBatchThatEndsWithTheLastReply() throws Exception {
    StatefulRedisConnection<String, String> manual = client.connect();
    try {
      manual.sync().ping();
      agent.clear();
      manual.setAutoFlushCommands(false);
      RedisAsyncCommands<String, String> async = manual.async();
      List<RedisFuture<?>> replies;
      try (var request = agent.makeCurrent("request-span")) {
        replies = List.of(async.set(key, "a"), async.set(key + ":other", "b"), async.get(key));
      }
      assertThat(agent.dbBatches()).singleElement().satisfies(b -> assertThat(b.ended()).isFalse());

      manual.flushCommands();

      assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(5), replies.toArray(new Future<?>[0])))
          .isTrue();
      assertThat(replies.get(2).get()).isEqualTo("a");
      List<DbClientOperation> ops = awaitEnded(3);
      DbBatchOperation batch = agent.dbBatches().get(0);
      assertThat(agent.dbBatches()).hasSize(1);
      assertThat(batch.ended()).isTrue();
      assertThat(batch.operationName()).isEqualTo("PIPELINE");
      assertThat(batch.size()).isEqualTo(3);
      assertThat(batch.error()).isNull();
      assertThat(batch.parentContext()).isEqualTo("request-span");
      assertThat(ops)
          .extracting(op -> op.request().operationName, op -> op.inBatch(batch))
          .containsExactly(tuple("SET", true), tuple("SET", true), tuple("GET", true));

      manual.setAutoFlushCommands(true);
      agent.clear();
      manual.sync().get(key);
      assertThat(awaitEnded(1).get(0).batch()).isNull();
      assertThat(agent.dbBatches()).isEmpty();
    } finally {
      manual.close();
    }
  }

  @Test
  void adviceFollowsTheRules() {
    List<TypeInstrumentation> ours =
        agent.instrumentations().stream().filter(i -> i.name().equals("lettuce")).toList();

    assertThat(ours).hasSize(4);
    ours.forEach(AdviceRules::check);
  }

  /**
   * The recorded operations once {@code count} of them ended: replies end them on the event loop,
   * possibly a moment after the application's call returned.
   */
  private static List<DbClientOperation> awaitEnded(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<DbClientOperation> ops = agent.dbClientOperations();
    while (ops.stream().filter(DbClientOperation::ended).count() < count
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      ops = agent.dbClientOperations();
    }
    assertThat(ops).hasSize(count).allSatisfy(op -> assertThat(op.ended()).isTrue());
    return ops;
  }
}
