package io.redwing.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.RedisClusterContract;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LettuceClusterInstrumentationTest extends RedisClusterContract {
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> connection;

  @Override
  protected void connect(int seedPort) {
    client = RedisClusterClient.create(RedisURI.create("127.0.0.1", seedPort));
    connection = client.connect();
  }

  @Override
  protected void disconnect() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  protected void set(String key, String value) {
    connection.sync().set(key, value);
  }

  @Override
  protected String get(String key) {
    return connection.sync().get(key);
  }

  @Override
  protected String instrumentation() {
    return "lettuce";
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
  void aReactiveCommandIsOneOperationOnItsMaster() throws Exception {
    Long value;
    try (var request = agent.makeCurrent("request-span")) {
      value = connection.reactive().incr(keyElsewhere).block(Duration.ofSeconds(5));
    }

    assertThat(value).isEqualTo(1L);
    DbClientOperation incr = awaitEnded(1).get(0);
    assertThat(incr.request().operationName).isEqualTo("INCR");
    assertThat(incr.request().serverPort).isEqualTo(redis.portServing(keyElsewhere));
    assertThat(incr.parentContext()).isEqualTo("request-span");
    assertThat(incr.error()).isNull();
  }

  @Test
  void anErrorReplyFailsTheCommandWithItsCode() throws Exception {
    connection.sync().set(key, "text");
    agent.clear();

    CompletableFuture<Long> pushed = connection.async().lpush(key, "x").toCompletableFuture();

    assertThat(pushed).failsWithin(Duration.ofSeconds(5));
    DbClientOperation op = awaitEnded(1).get(0);
    assertThat(op.request().operationName).isEqualTo("LPUSH");
    assertThat(op.request().serverPort).isEqualTo(redis.portServing(key));
    assertThat(op.error()).hasMessage("WRONGTYPE");
  }
}
