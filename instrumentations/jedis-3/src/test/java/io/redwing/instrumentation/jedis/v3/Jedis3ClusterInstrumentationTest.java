package io.redwing.instrumentation.jedis.v3;

import io.redwing.instrumentation.testing.RedisClusterContract;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** Jedis 3 routes through a {@code Jedis} per master and has no cluster pipeline. */
class Jedis3ClusterInstrumentationTest extends RedisClusterContract {
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
}
