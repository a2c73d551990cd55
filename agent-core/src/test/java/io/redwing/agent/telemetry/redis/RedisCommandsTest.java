package io.redwing.agent.telemetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisCommandsTest {
  private final RedisCommands commands = new RedisCommands();

  @Test
  void queryTextHasOnePlaceholderPerArgumentUpToALimit() {
    assertThat(commands.queryText("PING", 0)).isEqualTo("PING");
    assertThat(commands.queryText("SET", 2)).isEqualTo("SET ? ?");
    assertThat(commands.queryText("SET", 2)).isSameAs(commands.queryText("SET", 2));
    assertThat(commands.queryText("MSET", 1000))
        .isEqualTo("MSET" + " ?".repeat(RedisCommands.MAX_PLACEHOLDERS) + " ...");
    assertThat(commands.queryText("GET", -1)).isEqualTo("GET");
  }

  @Test
  void garbageNamesAreNeverLabels() {
    assertThat(commands.operationName("json.set")).isEqualTo("JSON.SET");
    assertThat(commands.operationName("Bad Name")).isEqualTo(RedisCommands.OTHER);
    assertThat(commands.operationName("X".repeat(100))).isEqualTo(RedisCommands.OTHER);
    assertThat(commands.operationName(null)).isNull();
  }

  @Test
  void lettuceKeyValuesAndNullsAreMissesPerElement() {
    CacheReads.Outcome outcome =
        CacheReads.of("HMGET", 4, java.util.Arrays.asList(new Present(), new Absent(), null));
    assertThat(outcome.hits).isEqualTo(1);
    assertThat(outcome.misses).isEqualTo(2);
    assertThat(CacheReads.of("HEXISTS", 2, 1L).hits).isEqualTo(1);
    assertThat(CacheReads.of("EXISTS", 1, Boolean.FALSE).misses).isEqualTo(1);
    assertThat(CacheReads.of("SET", 2, "OK")).isNull();
  }

  /** Shaped like Lettuce's KeyValue. */
  public static final class Present {
    public boolean hasValue() {
      return true;
    }
  }

  public static final class Absent {
    public boolean hasValue() {
      return false;
    }
  }
}
