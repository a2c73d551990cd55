package io.redwing.demo;

import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The cache endpoint: {@code /cache/{key}} reads the key's value through Redis (a miss computes it
 * and stores it for a minute). Without a reachable Redis it answers from the computation alone.
 */
@RestController
class CacheController {
  private static final int TTL_SECONDS = 60;

  private final JedisPool pool;

  CacheController() {
    String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(8);
    // a Redis that is down must cost a request little, not a pool wait
    config.setMaxWait(Duration.ofMillis(200));
    pool =
        new JedisPool(
            config,
            new HostAndPort(host, port),
            DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(200)
                .socketTimeoutMillis(500)
                .build());
  }

  @GetMapping(value = "/cache/{key}", produces = "application/json")
  ResponseEntity<String> read(@PathVariable("key") String rawKey) {
    String key = rawKey.replaceAll("[^A-Za-z0-9_-]", "");
    String source;
    String value;
    try (Jedis jedis = pool.getResource()) {
      value = jedis.get("demo:cache:" + key);
      source = value != null ? "cache" : "computed";
      if (value == null) {
        value = compute(key);
        jedis.set("demo:cache:" + key, value, SetParams.setParams().ex(TTL_SECONDS));
      }
    } catch (JedisException redisDown) {
      source = "computed, redis unavailable";
      value = compute(key);
    }
    return ResponseEntity.ok(
        "{\"key\":\"" + key + "\",\"value\":\"" + value + "\",\"source\":\"" + source + "\"}");
  }

  void close() {
    pool.close();
  }

  private static String compute(String key) {
    return "value of " + key;
  }
}
