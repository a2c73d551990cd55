package io.redwing.agent.telemetry.redis;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Names a Redis command for metrics and spans: Redis's own commands by their name, other names
 * (module commands, typos, names an application made up) capped at {@link #MAX_CUSTOM} distinct
 * ones, then {@link #OTHER}. The query text shows the name and one {@code ?} per argument, never an
 * argument.
 */
public final class RedisCommands {
  public static final String OTHER = "OTHER";
  static final int MAX_CUSTOM = 50;
  static final int MAX_PLACEHOLDERS = 16;
  private static final int MAX_NAME_LENGTH = 40;
  private static final int CACHED_ARITIES = 8;

  /** The commands of Redis 7 (first word only: {@code CLIENT SETNAME} is CLIENT). */
  private static final Set<String> KNOWN =
      new HashSet<>(
          Arrays.asList(
              ("ACL APPEND ASKING AUTH BGREWRITEAOF BGSAVE BITCOUNT BITFIELD BITFIELD_RO BITOP"
                      + " BITPOS BLMOVE BLMPOP BLPOP BRPOP BRPOPLPUSH BZMPOP BZPOPMAX BZPOPMIN"
                      + " CLIENT CLUSTER COMMAND CONFIG COPY DBSIZE DEBUG DECR DECRBY DEL DISCARD"
                      + " DUMP ECHO EVAL EVALSHA EVALSHA_RO EVAL_RO EXEC EXISTS EXPIRE EXPIREAT"
                      + " EXPIRETIME FAILOVER FCALL FCALL_RO FLUSHALL FLUSHDB FUNCTION GEOADD"
                      + " GEODIST GEOHASH GEOPOS GEORADIUS GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO"
                      + " GEORADIUS_RO GEOSEARCH GEOSEARCHSTORE GET GETBIT GETDEL GETEX GETRANGE"
                      + " GETSET HDEL HELLO HEXISTS HEXPIRE HEXPIREAT HEXPIRETIME HGET HGETALL"
                      + " HGETDEL HGETEX HINCRBY HINCRBYFLOAT HKEYS HLEN HMGET HMSET HPERSIST"
                      + " HPEXPIRE HPEXPIREAT HPEXPIRETIME HPTTL HRANDFIELD HSCAN HSET HSETEX"
                      + " HSETNX HSTRLEN HTTL HVALS INCR INCRBY INCRBYFLOAT INFO KEYS LASTSAVE"
                      + " LATENCY LCS LINDEX LINSERT LLEN LMOVE LMPOP LOLWUT LPOP LPOS LPUSH"
                      + " LPUSHX LRANGE LREM LSET LTRIM MEMORY MGET MIGRATE MODULE MONITOR MOVE"
                      + " MSET MSETNX MULTI OBJECT PERSIST PEXPIRE PEXPIREAT PEXPIRETIME PFADD"
                      + " PFCOUNT PFDEBUG PFMERGE PFSELFTEST PING PSETEX PSUBSCRIBE PSYNC PTTL"
                      + " PUBLISH PUBSUB PUNSUBSCRIBE QUIT RANDOMKEY READONLY READWRITE RENAME"
                      + " RENAMENX REPLCONF REPLICAOF RESET RESTORE RESTORE-ASKING ROLE RPOP"
                      + " RPOPLPUSH RPUSH RPUSHX SADD SAVE SCAN SCARD SCRIPT SDIFF SDIFFSTORE"
                      + " SELECT SET SETBIT SETEX SETNX SETRANGE SHUTDOWN SINTER SINTERCARD"
                      + " SINTERSTORE SISMEMBER SLAVEOF SLOWLOG SMEMBERS SMISMEMBER SMOVE SORT"
                      + " SORT_RO SPOP SPUBLISH SRANDMEMBER SREM SSCAN SSUBSCRIBE STRLEN"
                      + " SUBSCRIBE SUBSTR SUNION SUNIONSTORE SUNSUBSCRIBE SWAPDB SYNC TIME TOUCH"
                      + " TTL TYPE UNLINK UNSUBSCRIBE UNWATCH WAIT WAITAOF WATCH XACK XADD"
                      + " XAUTOCLAIM XCLAIM XDEL XGROUP XINFO XLEN XPENDING XRANGE XREAD"
                      + " XREADGROUP XREVRANGE XSETID XTRIM ZADD ZCARD ZCOUNT ZDIFF ZDIFFSTORE"
                      + " ZINCRBY ZINTER ZINTERCARD ZINTERSTORE ZLEXCOUNT ZMPOP ZMSCORE ZPOPMAX"
                      + " ZPOPMIN ZRANDMEMBER ZRANGE ZRANGEBYLEX ZRANGEBYSCORE ZRANGESTORE ZRANK"
                      + " ZREM ZREMRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREVRANGE"
                      + " ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK ZSCAN ZSCORE ZUNION"
                      + " ZUNIONSTORE")
                  .split(" ")));

  private final Set<String> custom = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, String[]> queryTexts = new ConcurrentHashMap<>();

  /** The operation name of a command as the client sent it; null stays null. */
  public String operationName(String raw) {
    if (raw == null) {
      return null;
    }
    if (KNOWN.contains(raw)) {
      return raw;
    }
    String upper = raw.toUpperCase(Locale.ROOT);
    if (KNOWN.contains(upper) || custom.contains(upper)) {
      return upper;
    }
    // Racing threads may overshoot the cap by a few names; the bound holds within that margin.
    if (plausible(upper) && custom.size() < MAX_CUSTOM && custom.add(upper)) {
      return upper;
    }
    return custom.contains(upper) ? upper : OTHER;
  }

  /** {@code SET ? ?}: the name and a placeholder per argument; the name alone when unknown. */
  public String queryText(String operationName, int argumentCount) {
    if (operationName == null) {
      return null;
    }
    if (argumentCount <= 0) {
      return operationName;
    }
    if (argumentCount >= CACHED_ARITIES) {
      return render(operationName, argumentCount);
    }
    String[] texts = queryTexts.computeIfAbsent(operationName, n -> new String[CACHED_ARITIES]);
    String text = texts[argumentCount];
    if (text == null) {
      text = render(operationName, argumentCount);
      texts[argumentCount] = text;
    }
    return text;
  }

  private static String render(String operationName, int argumentCount) {
    StringBuilder text = new StringBuilder(operationName.length() + 2 * MAX_PLACEHOLDERS + 4);
    text.append(operationName);
    for (int i = 0; i < Math.min(argumentCount, MAX_PLACEHOLDERS); i++) {
      text.append(" ?");
    }
    if (argumentCount > MAX_PLACEHOLDERS) {
      text.append(" ...");
    }
    return text.toString();
  }

  /** A name a module or an application could have given a command, not arbitrary bytes. */
  private static boolean plausible(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
      if (!ok && c != '-' && c != '|') {
        return false;
      }
    }
    return true;
  }
}
