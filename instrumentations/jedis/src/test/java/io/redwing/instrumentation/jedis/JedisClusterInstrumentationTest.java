package io.redwing.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.redwing.instrumentation.testing.DbBatchOperation;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.RedisCluster;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;

class JedisClusterInstrumentationTest {
  @RegisterExtension static final RedisCluster redis = new RedisCluster();
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  /** What a new pooled connection says before the application's first command on it. */
  private static final List<String> HANDSHAKE = List.of("HELLO", "CLIENT", "AUTH");

  private final String key = "redwing:cluster:" + UUID.randomUUID();
  private String keyElsewhere;
  private JedisCluster cluster;

  @BeforeEach
  void connect() throws Exception {
    keyElsewhere = redis.keyOnAnotherNode(key);
    cluster = new JedisCluster(new HostAndPort("127.0.0.1", redis.ports().get(0)));
    agent.clear();
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void eachCommandIsOneOperationWithTheAddressOfTheNodeThatServedIt() throws Exception {
    try (var request = agent.makeCurrent("request-span")) {
      cluster.set(key, "v");
      assertThat(cluster.get(keyElsewhere)).isNull();
    }

    List<DbClientOperation> ops = commands();
    assertThat(ops)
        .extracting(
            op -> op.request().operationName,
            op -> op.request().serverAddress,
            op -> op.request().serverPort)
        .containsExactly(
            tuple("SET", "127.0.0.1", redis.portServing(key)),
            tuple("GET", "127.0.0.1", redis.portServing(keyElsewhere)));
    assertThat(ops.get(0).request().serverPort).isNotEqualTo(ops.get(1).request().serverPort);
    assertThat(ops)
        .allSatisfy(
            op -> {
              assertThat(op.ended()).isTrue();
              assertThat(op.error()).isNull();
              assertThat(op.parentContext()).isEqualTo("request-span");
              assertThat(op.batch()).isNull();
            });
  }

  @Test
  void aCommandMovedToAnotherNodeIsOneOperationOnTheNodeThatServedIt() throws Exception {
    cluster.set(key, "v");
    int target = redis.otherPort(key);
    redis.moveSlot(key, target);
    agent.clear();

    try (var request = agent.makeCurrent("request-span")) {
      // the client still maps the slot to the old node, which answers MOVED
      assertThat(cluster.get(key)).isEqualTo("v");
    }

    // the client reloads its slot map (CLUSTER SLOTS) and sends the GET again, to the new node
    List<DbClientOperation> ops = commands();
    assertThat(ops.stream().filter(op -> op.request().operationName.equals("GET")))
        .singleElement()
        .satisfies(
            get -> {
              assertThat(get.request().serverPort).isEqualTo(target);
              assertThat(get.ended()).isTrue();
              assertThat(get.error()).isNull();
              assertThat(get.reply()).isNotNull();
              assertThat(get.parentContext()).isEqualTo("request-span");
            });
    assertThat(ops)
        .extracting(op -> op.request().operationName)
        .containsOnly("GET", "CLUSTER")
        .containsOnlyOnce("GET");
    assertThat(ops).allSatisfy(op -> assertThat(op.error()).isNull());
  }

  @Test
  void aCommandAskedToAnotherNodeIsOneOperationOnItWithoutTheAsking() throws Exception {
    int source = redis.portServing(key);
    int target = redis.otherPort(key);
    redis.beginMigration(key, target);
    try {
      try (var request = agent.makeCurrent("request-span")) {
        // the old node does not hold the key and the slot is migrating: it answers ASK
        cluster.set(key, "v");
      }

      assertThat(agent.dbClientOperations())
          .filteredOn(op -> !HANDSHAKE.contains(op.request().operationName))
          .singleElement()
          .satisfies(
              set -> {
                assertThat(set.request().operationName).isEqualTo("SET");
                assertThat(set.request().serverPort).isEqualTo(target).isNotEqualTo(source);
                assertThat(set.ended()).isTrue();
                assertThat(set.error()).isNull();
                assertThat(set.parentContext()).isEqualTo("request-span");
              });
    } finally {
      redis.moveSlot(key, target);
    }
  }

  @Test
  void aClusterPipelineIsOneBatchOverTheNodesItsCommandsWentTo() throws Exception {
    Response<String> read;
    try (var request = agent.makeCurrent("request-span");
        ClusterPipeline pipeline = cluster.pipelined()) {
      pipeline.set(key, "a");
      pipeline.set(keyElsewhere, "b");
      read = pipeline.get(key);
      assertThat(agent.dbBatches()).singleElement().satisfies(b -> assertThat(b.ended()).isFalse());
      pipeline.sync();
    }

    assertThat(read.get()).isEqualTo("a");
    DbBatchOperation batch = agent.dbBatches().get(0);
    assertThat(agent.dbBatches()).hasSize(1);
    assertThat(batch.ended()).isTrue();
    assertThat(batch.operationName()).isEqualTo("PIPELINE");
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.error()).isNull();
    assertThat(batch.parentContext()).isEqualTo("request-span");
    assertThat(batch.request().serverPort).isEqualTo(redis.portServing(key));
    assertThat(commands())
        .extracting(
            op -> op.request().operationName,
            op -> op.request().serverPort,
            op -> op.ended() && op.error() == null && op.inBatch(batch))
        .containsExactly(
            tuple("SET", redis.portServing(key), true),
            tuple("SET", redis.portServing(keyElsewhere), true),
            tuple("GET", redis.portServing(key), true));
  }

  @Test
  void eachSyncOfAClusterPipelineEndsItsOwnBatch() throws Exception {
    try (ClusterPipeline pipeline = cluster.pipelined()) {
      pipeline.incr(key);
      pipeline.incr(keyElsewhere);
      pipeline.sync();
      pipeline.incr(key);
      pipeline.sync();
    }

    assertThat(agent.dbBatches())
        .extracting(DbBatchOperation::operationName, DbBatchOperation::size, b -> b.ended())
        .containsExactly(tuple("PIPELINE INCR", 2, true), tuple("PIPELINE INCR", 1, true));
    assertThat(commands()).hasSize(3).allSatisfy(op -> assertThat(op.batch()).isNotNull());
  }

  private List<DbClientOperation> commands() {
    return agent.dbClientOperations().stream()
        .filter(op -> !HANDSHAKE.contains(op.request().operationName))
        .toList();
  }
}
