package io.redwing.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.redwing.instrumentation.testing.DbBatchOperation;
import io.redwing.instrumentation.testing.RedisClusterContract;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;

class JedisClusterInstrumentationTest extends RedisClusterContract {
  private JedisCluster cluster;

  @Override
  protected void connect(int seedPort) {
    cluster = new JedisCluster(new HostAndPort("127.0.0.1", seedPort));
  }

  @Override
  protected void disconnect() {
    cluster.close();
  }

  @Override
  protected void set(String key, String value) {
    cluster.set(key, value);
  }

  @Override
  protected String get(String key) {
    return cluster.get(key);
  }

  @Override
  protected String instrumentation() {
    return "jedis";
  }

  @Test
  void aClusterPipelineIsOneBatchOverTheMastersItsCommandsWentTo() throws Exception {
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
    // the pipeline's own connections said HELLO first, outside the batch
    assertThat(applications())
        .extracting(
            op -> op.request().operationName,
            op -> op.request().serverPort,
            op -> op.ended() && op.error() == null && op.inBatch(batch))
        .containsExactly(
            tuple("SET", redis.portServing(key), true),
            tuple("SET", redis.portServing(keyElsewhere), true),
            tuple("GET", redis.portServing(key), true));
    assertThat(agent.dbClientOperations())
        .filteredOn(op -> op.batch() == null)
        .allSatisfy(op -> assertThat(op.request().operationName).isIn("HELLO", "CLIENT"));
  }

  @Test
  void eachSyncOfAClusterPipelineEndsItsOwnBatch() {
    try (ClusterPipeline pipeline = cluster.pipelined()) {
      pipeline.incr(key);
      pipeline.incr(keyElsewhere);
      pipeline.sync();
      pipeline.incr(key);
      pipeline.sync();
      pipeline.sync();
    }

    assertThat(agent.dbBatches())
        .extracting(DbBatchOperation::operationName, DbBatchOperation::size, b -> b.ended())
        .containsExactly(tuple("PIPELINE INCR", 2, true), tuple("PIPELINE INCR", 1, true));
    assertThat(applications()).hasSize(3).allSatisfy(op -> assertThat(op.batch()).isNotNull());
  }
}
