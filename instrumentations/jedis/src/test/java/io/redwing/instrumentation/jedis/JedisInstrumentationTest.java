package io.redwing.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.DbBatchOperation;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.PrivateRedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class JedisInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private static final HostAndPort REDIS = new HostAndPort("127.0.0.1", 6379);

  private final String key = "redwing:test:" + UUID.randomUUID();
  private final String secret = "secret-" + UUID.randomUUID();
  private Jedis jedis;

  @BeforeEach
  void connect() {
    jedis = new Jedis(REDIS);
    jedis.ping();
    agent.clear();
  }

  @AfterEach
  void cleanUp() {
    jedis.del(key, key + ":list", key + ":other");
    jedis.close();
  }

  @Test
  void recordsEachCommandAsARedisOperationWithItsNameAndArgumentCountOnly() {
    jedis.set(key, secret);
    assertThat(jedis.get(key)).isEqualTo(secret);

    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops)
        .extracting(op -> op.request().operationName, op -> op.request().argumentCount)
        .containsExactly(tuple("SET", 2), tuple("GET", 1));
    for (DbClientOperation op : ops) {
      DbClientRequest facts = op.request();
      assertThat(facts.instrumentation).isEqualTo("jedis");
      assertThat(facts.system).isEqualTo("redis");
      assertThat(facts.serverAddress).isEqualTo("127.0.0.1");
      assertThat(facts.serverPort).isEqualTo(6379);
      assertThat(facts.queryText).isNull();
      assertThat(op.ended()).isTrue();
      assertThat(op.error()).isNull();
      assertThat(op.endThread()).isEqualTo(Thread.currentThread().getName());
      assertThat(String.valueOf(facts.operationName) + facts.namespace + facts.serverAddress)
          .doesNotContain(key)
          .doesNotContain(secret);
    }
    assertThat(ops.get(1).reply()).isEqualTo(secret.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aHandshakeCommandTheServerRefusesAndTheClientIgnoresIsNoFailure() {
    // READONLY is for cluster replicas: a server without cluster support refuses it, as one before
    // 7.2 refuses CLIENT SETINFO, and Jedis goes on with the connection either way
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder().readOnlyForRedisClusterReplicas().build();
    try (Jedis connection = new Jedis(REDIS, config)) {
      connection.get(key);
    }

    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).extracting(op -> op.request().operationName).contains("READONLY", "GET");
    assertThat(ops)
        .allSatisfy(
            op -> {
              assertThat(op.ended()).isTrue();
              assertThat(op.error()).as(op.request().operationName).isNull();
            });
  }

  @Test
  void aRefusalThatFailsTheHandshakeFailsItsCommand() {
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder().password("not-" + secret).build();

    Throwable thrown =
        catchThrowable(
            () -> {
              try (Jedis connection = new Jedis(REDIS, config)) {
                connection.ping();
              }
            });

    assertThat(thrown).isInstanceOf(JedisDataException.class);
    List<DbClientOperation> auth =
        agent.dbClientOperations().stream()
            .filter(op -> "AUTH".equals(op.request().operationName))
            .toList();
    assertThat(auth).hasSize(1);
    assertThat(auth.get(0).ended()).isTrue();
    assertThat(auth.get(0).error()).isSameAs(thrown);
  }

  @Test
  void takesTheDatabaseIndexFromTheConnectionsLastSelect() {
    jedis.select(2);
    jedis.get(key);
    jedis.select(0);

    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, op -> op.request().namespace)
        .containsExactly(tuple("SELECT", "2"), tuple("GET", "2"), tuple("SELECT", "0"));
  }

  @Test
  void endsAReadOfAMissingKeyWithAnEmptyReply() {
    assertThat(jedis.get(key + ":other")).isNull();

    DbClientOperation op = single();
    assertThat(op.request().operationName).isEqualTo("GET");
    assertThat(op.ended()).isTrue();
    assertThat(op.reply()).isNull();
  }

  @Test
  void recordsCommandsOfAPooledClient() {
    try (RedisClient pooled = RedisClient.create(REDIS)) {
      pooled.set(key, "v");
      pooled.mget(key, key + ":other");
    }

    // a new pooled connection says HELLO and CLIENT SETINFO first, which are commands as well
    List<DbClientOperation> ops =
        agent.dbClientOperations().stream()
            .filter(op -> !List.of("HELLO", "CLIENT").contains(op.request().operationName))
            .toList();
    assertThat(ops)
        .extracting(op -> op.request().operationName, op -> op.request().argumentCount)
        .containsExactly(tuple("SET", 2), tuple("MGET", 2));
    assertThat(ops).allSatisfy(op -> assertThat(op.ended()).isTrue());
    DbClientOperation mget = ops.get(1);
    assertThat((List<?>) mget.reply()).hasSize(2).containsNull();
  }

  @Test
  void recordsCommandsOfAConnectionBorrowedFromAJedisPool() {
    try (JedisPool pool = new JedisPool("127.0.0.1", 6379);
        Jedis borrowed = pool.getResource()) {
      borrowed.incr(key);
    }

    assertThat(agent.dbClientOperations())
        .filteredOn(op -> op.request().operationName.equals("INCR"))
        .singleElement()
        .satisfies(op -> assertThat(op.reply()).isEqualTo(1L));
  }

  @Test
  void endsEachPipelinedCommandWithItsOwnReplyInOrder() {
    Response<String> value;
    Response<Long> length;
    try (Pipeline pipeline = jedis.pipelined()) {
      pipeline.set(key, secret);
      value = pipeline.get(key);
      length = pipeline.strlen(key);
      assertThat(agent.dbClientOperations()).noneMatch(DbClientOperation::ended);
      pipeline.sync();
    }

    assertThat(value.get()).isEqualTo(secret);
    assertThat(length.get()).isEqualTo(secret.length());
    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops)
        .extracting(op -> op.request().operationName, DbClientOperation::ended)
        .containsExactly(tuple("SET", true), tuple("GET", true), tuple("STRLEN", true));
    assertThat(ops.get(1).reply()).isEqualTo(secret.getBytes(StandardCharsets.UTF_8));
    assertThat(ops.get(2).reply()).isEqualTo((long) secret.length());
  }

  @Test
  void aPipelineIsOneBatchWhoseCommandsAreEachObservedFromWriteToReply() {
    try (var request = agent.makeCurrent("request-span")) {
      Pipeline pipeline = jedis.pipelined();
      pipeline.set(key, "a");
      pipeline.set(key + ":other", "b");
      pipeline.set(key, "c");
      assertThat(agent.dbBatches()).singleElement().satisfies(b -> assertThat(b.ended()).isFalse());
      pipeline.sync();
    }

    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(agent.dbBatches()).hasSize(1);
    assertThat(batch.ended()).isTrue();
    assertThat(batch.operationName()).isEqualTo("PIPELINE SET");
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.error()).isNull();
    assertThat(batch.parentContext()).isEqualTo("request-span");
    assertThat(batch.request().serverAddress).isEqualTo("127.0.0.1");
    assertThat(batch.request().serverPort).isEqualTo(6379);
    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, op -> op.ended() && op.inBatch(batch))
        .containsExactly(tuple("SET", true), tuple("SET", true), tuple("SET", true));
  }

  @Test
  void aPipelineOfDifferentCommandsIsNamedPipelineAndSyncAndReturnAllEndsIt() {
    Pipeline pipeline = jedis.pipelined();
    pipeline.set(key, "v");
    pipeline.get(key);
    pipeline.exists(key + ":other");
    List<Object> replies = pipeline.syncAndReturnAll();

    assertThat(replies).containsExactly("OK", "v", false);
    assertThat(agent.dbBatches())
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch.ended()).isTrue();
              assertThat(batch.operationName()).isEqualTo("PIPELINE");
              assertThat(batch.size()).isEqualTo(3);
            });
  }

  @Test
  void eachSyncEndsABatchOfTheCommandsQueuedSinceTheLastAndDirectCommandsStayOutside() {
    Pipeline pipeline = jedis.pipelined();
    pipeline.incr(key);
    pipeline.incr(key);
    pipeline.sync();
    pipeline.get(key);
    pipeline.sync();
    pipeline.sync();
    assertThat(jedis.get(key)).isEqualTo("2");

    List<DbBatchOperation> batches = agent.dbBatches();
    assertThat(batches)
        .extracting(DbBatchOperation::operationName, DbBatchOperation::size)
        .containsExactly(tuple("PIPELINE INCR", 2), tuple("PIPELINE GET", 1));
    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops)
        .extracting(op -> op.request().operationName)
        .containsExactly("INCR", "INCR", "GET", "GET");
    assertThat(ops.get(1).inBatch(batches.get(0))).isTrue();
    assertThat(ops.get(2).inBatch(batches.get(1))).isTrue();
    assertThat(ops.get(3).batch()).isNull();
    assertThat(ops.get(3).ended()).isTrue();
  }

  @Test
  void aPipelineClosedWithoutSyncIsOneBatchAsWell() {
    try (RedisClient pooled = RedisClient.create(REDIS)) {
      pooled.ping();
      agent.clear();
      try (Pipeline pipeline = pooled.pipelined()) {
        pipeline.lpush(key + ":list", "a", "b");
        pipeline.llen(key + ":list");
      }
    }

    assertThat(agent.dbBatches())
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch.ended()).isTrue();
              assertThat(batch.operationName()).isEqualTo("PIPELINE");
              assertThat(batch.size()).isEqualTo(2);
            });
    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, DbClientOperation::ended)
        .containsExactly(tuple("LPUSH", true), tuple("LLEN", true));
  }

  @Test
  void anErrorReplyInsideAPipelineFailsItsBatchAndOnlyItsCommand() {
    jedis.set(key, "text");
    agent.clear();
    Response<Long> pushed;
    Response<String> read;
    try (Pipeline pipeline = jedis.pipelined()) {
      pushed = pipeline.lpush(key, "x");
      read = pipeline.get(key);
      pipeline.sync();
    }

    Throwable seen = catchThrowable(pushed::get);
    assertThat(seen).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
    assertThat(read.get()).isEqualTo("text");
    assertThat(agent.dbBatches())
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch.size()).isEqualTo(2);
              assertThat(batch.error())
                  .isInstanceOf(JedisDataException.class)
                  .hasMessageStartingWith("WRONGTYPE");
            });
    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, op -> op.error() != null)
        .containsExactly(tuple("LPUSH", true), tuple("GET", false));
  }

  @Test
  void recordsATransactionCommandByCommand() {
    Response<String> value;
    try (Transaction tx = jedis.multi()) {
      tx.set(key, "v");
      value = tx.get(key);
      tx.exec();
    }

    assertThat(value.get()).isEqualTo("v");
    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, DbClientOperation::ended)
        .containsExactly(
            tuple("MULTI", true), tuple("SET", true), tuple("GET", true), tuple("EXEC", true));
  }

  @Test
  void aTransactionIsOneBatchWhoseCommandsAreEachObserved() {
    try (Transaction tx = jedis.multi()) {
      tx.set(key, "a");
      tx.set(key + ":other", "b");
      tx.set(key, "c");
      tx.exec();
    }

    assertThat(agent.dbBatches())
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch.ended()).isTrue();
              assertThat(batch.operationName()).isEqualTo("MULTI SET");
              assertThat(batch.size()).isEqualTo(3);
              assertThat(batch.error()).isNull();
              assertThat(batch.request().serverAddress).isEqualTo("127.0.0.1");
              assertThat(batch.request().serverPort).isEqualTo(6379);
            });
    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(agent.dbClientOperations())
        .extracting(op -> op.request().operationName, op -> op.ended() && op.inBatch(batch))
        .containsExactly(
            tuple("MULTI", true),
            tuple("SET", true),
            tuple("SET", true),
            tuple("SET", true),
            tuple("EXEC", true));
  }

  @Test
  void aCommandFailingInsideExecFailsItsBatchAndTheApplicationSeesTheError() {
    jedis.set(key, "text");
    agent.clear();
    List<Object> replies;
    try (Transaction tx = jedis.multi()) {
      tx.get(key);
      tx.lpush(key, "x");
      replies = tx.exec();
    }

    assertThat(replies.get(1)).isInstanceOf(JedisDataException.class);
    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(agent.dbBatches()).hasSize(1);
    assertThat(batch.operationName()).isEqualTo("MULTI");
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.error())
        .isInstanceOf(JedisDataException.class)
        .hasMessageStartingWith("WRONGTYPE");
  }

  @Test
  void aDiscardedTransactionEndsItsBatchWithoutAnError() {
    try (Transaction tx = jedis.multi()) {
      tx.set(key, "v");
      tx.discard();
    }

    assertThat(jedis.exists(key)).isFalse();
    assertThat(agent.dbBatches())
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch.ended()).isTrue();
              assertThat(batch.operationName()).isEqualTo("MULTI SET");
              assertThat(batch.size()).isEqualTo(1);
              assertThat(batch.error()).isNull();
            });
  }

  @Test
  void recordsAnErrorReplyAndTheApplicationSeesTheSameException() {
    jedis.set(key, "a string");
    agent.clear();

    Throwable seen = catchThrowable(() -> jedis.lpush(key, "x"));

    assertThat(seen).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
    DbClientOperation op = single();
    assertThat(op.request().operationName).isEqualTo("LPUSH");
    assertThat(op.error()).isSameAs(seen);
    // the connection stays usable and in step: the next reply ends the next command
    assertThat(jedis.get(key)).isEqualTo("a string");
    assertThat(agent.dbClientOperations()).last().satisfies(o -> assertThat(o.ended()).isTrue());
  }

  @Test
  void failsTheCommandsOfAServerThatDiedAndTheApplicationSeesTheSameException() throws Exception {
    try (PrivateRedisServer server = PrivateRedisServer.start();
        Jedis doomed = new Jedis("127.0.0.1", server.port())) {
      doomed.set(key, "v");
      server.kill();
      agent.clear();

      Throwable seen = catchThrowable(() -> doomed.get(key));

      assertThat(seen).isInstanceOf(JedisConnectionException.class);
      DbClientOperation op = single();
      assertThat(op.request().operationName).isEqualTo("GET");
      assertThat(op.request().serverPort).isEqualTo(server.port());
      assertThat(op.error()).isSameAs(seen);
    }
  }

  @Test
  void failsEveryPipelinedCommandWhenTheReplyTimesOut() throws Exception {
    try (PrivateRedisServer server = PrivateRedisServer.start();
        Jedis slow =
            new Jedis(
                new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().socketTimeoutMillis(200).build())) {
      slow.ping();
      server.freeze();
      agent.clear();

      Pipeline pipeline = slow.pipelined();
      pipeline.set(key, "v");
      pipeline.get(key);
      Throwable seen = catchThrowable(pipeline::sync);

      assertThat(seen).isInstanceOf(JedisConnectionException.class);
      assertThat(agent.dbBatches())
          .singleElement()
          .satisfies(
              batch -> {
                assertThat(batch.ended()).isTrue();
                assertThat(batch.size()).isEqualTo(2);
                assertThat(batch.error()).isSameAs(seen);
              });
      assertThat(agent.dbClientOperations())
          .hasSize(2)
          .allSatisfy(
              op -> {
                assertThat(op.ended()).isTrue();
                assertThat(op.error()).isSameAs(seen);
              });
    }
  }

  @Test
  void adviceFollowsTheRules() {
    List<TypeInstrumentation> ours =
        agent.instrumentations().stream().filter(i -> i.name().equals("jedis")).toList();

    assertThat(ours).hasSize(3);
    ours.forEach(AdviceRules::check);
  }

  private static DbClientOperation single() {
    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).hasSize(1);
    return ops.get(0);
  }
}
