package io.redwing.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * What the Redis advice remembers between calls, without adding fields to client classes.
 *
 * <p>Jedis writes a command and reads its reply in separate calls, also in pipelines and
 * transactions; Redis answers each connection in order, so each connection keeps the operations it
 * sent in a queue and each reply read ends the oldest one. Lettuce hands a command object to its
 * connection and completes it later, on another thread: the operation is kept by that command
 * object. Keys are application objects, held weakly, and every queue is bounded.
 */
public final class RedisCalls {
  public static final String SYSTEM = "redis";

  private static final int MAX_CONNECTIONS = 10_000;
  private static final int MAX_COMMANDS = 100_000;
  static final int MAX_PENDING = 10_000;

  /** Stands in the queue for a command sent while nothing was recorded, to keep replies aligned. */
  private static final Operation UNRECORDED = new Operation() {};

  private static final WeakConcurrentMap<Object, Pending> CONNECTIONS =
      new WeakConcurrentMap<>(MAX_CONNECTIONS);
  private static final WeakConcurrentMap<Object, Operation> COMMANDS =
      new WeakConcurrentMap<>(MAX_COMMANDS);

  private RedisCalls() {}

  /**
   * Starts a command's operation. {@code command} is the command's name as the client sends it
   * (bytes of a Jedis {@code ProtocolCommand}, a Lettuce keyword's name); its arguments are only
   * counted.
   */
  public static Operation start(
      String instrumentation,
      Object command,
      int argumentCount,
      String serverAddress,
      int serverPort,
      String namespace) {
    if (!Operations.installed()) {
      return null;
    }
    String name =
        command instanceof byte[]
            ? new String((byte[]) command, StandardCharsets.ISO_8859_1)
            : command == null ? null : command.toString();
    return Operations.startDbClient(
        new DbClientRequest(
            instrumentation,
            SYSTEM,
            namespace,
            serverAddress,
            serverPort,
            name,
            null,
            0,
            null,
            argumentCount));
  }

  // ---- a connection whose replies come back in order (Jedis) ---------------------------------

  /**
   * The database index {@code connection} works on, as its last {@code SELECT} said; null until one
   * was seen (a connection that selected before the attach). {@code firstArgument} is read only
   * when {@code command} is SELECT, and only as a small number.
   */
  public static String namespace(Object connection, byte[] command, byte[] firstArgument) {
    if (connection == null) {
      return null;
    }
    Pending pending = CONNECTIONS.get(connection);
    if (isSelect(command) && isIndex(firstArgument)) {
      if (pending == null) {
        pending = CONNECTIONS.getOrPut(connection, new Pending());
      }
      if (pending != null) {
        pending.database = new String(firstArgument, StandardCharsets.US_ASCII);
      }
    }
    return pending == null ? null : pending.database;
  }

  private static boolean isSelect(byte[] command) {
    return command != null
        && command.length == 6
        && new String(command, StandardCharsets.US_ASCII).equalsIgnoreCase("SELECT");
  }

  private static boolean isIndex(byte[] argument) {
    if (argument == null || argument.length == 0 || argument.length > 5) {
      return false;
    }
    for (byte b : argument) {
      if (b < '0' || b > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code connection} wrote the command of {@code op} (null if not recorded), or failed to with
   * {@code thrown}: it then ends now, else with the reply read for it.
   */
  public static void sent(Object connection, Operation op, Throwable thrown) {
    if (thrown != null) {
      Operations.endDbClient(op, thrown);
      return;
    }
    if (connection == null || (op == null && !Operations.installed())) {
      return;
    }
    Pending pending = CONNECTIONS.get(connection);
    if (pending == null) {
      pending = CONNECTIONS.getOrPut(connection, new Pending());
      if (pending == null) {
        // The map is full: this command goes unrecorded rather than ending at a wrong reply.
        Operations.endDbClient(op, null);
        return;
      }
    }
    pending.add(op == null ? UNRECORDED : op);
  }

  /**
   * {@code connection} read one reply, or failed to with {@code thrown}: the oldest command sent
   * ends with it. A failure that is not an error reply of Redis (a broken connection, a timeout)
   * ends every command still waiting on the connection, since none will get its reply.
   */
  public static void replied(Object connection, Object reply, Throwable thrown) {
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    if (pending == null) {
      return;
    }
    if (thrown != null && !isErrorReply(thrown)) {
      for (Operation op : pending.drain()) {
        end(op, null, thrown);
      }
      return;
    }
    end(pending.poll(), reply, thrown);
  }

  private static void end(Operation op, Object reply, Throwable thrown) {
    if (op == null || op == UNRECORDED) {
      return;
    }
    if (thrown == null) {
      Operations.dbReply(op, reply);
    }
    Operations.endDbClient(op, thrown);
  }

  /** Jedis reports an error reply ({@code -WRONGTYPE ...}) as a JedisDataException or subclass. */
  static boolean isErrorReply(Throwable thrown) {
    for (Class<?> c = thrown.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().endsWith(".JedisDataException")) {
        return true;
      }
    }
    return false;
  }

  // ---- command objects completed later (Lettuce) ------------------------------------------

  /** {@code command} was handed to the connection; its operation ends when it completes. */
  public static void dispatched(Object command, Operation op) {
    if (command != null && op != null && !COMMANDS.put(command, op)) {
      Operations.endDbClient(op, null);
    }
  }

  /** The dispatch of {@code command} threw: the command will not complete through the client. */
  public static void dispatchFailed(Object command, Throwable thrown) {
    if (thrown != null) {
      Operations.endDbClient(take(command), thrown);
    }
  }

  /** The operation of a dispatched command, once: later calls for the same command get null. */
  public static Operation take(Object command) {
    if (command == null) {
      return null;
    }
    Operation op = COMMANDS.get(command);
    if (op != null) {
      COMMANDS.remove(command);
    }
    return op;
  }

  /** A dispatched command completed with {@code reply}. */
  public static void completed(Operation op, Object reply) {
    end(op, reply, null);
  }

  public static void failed(Operation op, Throwable error) {
    end(op, null, error == null ? new CancellationException() : error);
  }

  public static void cancelled(Operation op) {
    end(op, null, new CancellationException("command cancelled"));
  }

  /**
   * A dispatched command completed with an error reply, which the client turns into its own
   * exception later: the operation fails with the reply's code ({@code WRONGTYPE}), never its text.
   */
  public static void errorReply(Operation op, String error) {
    end(op, null, new ErrorReply(error));
  }

  /** An error reply of Redis, by its code only: the rest of the text may quote arguments. */
  public static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final String code;

    public ErrorReply(String error) {
      super(code(error), null, false, false);
      this.code = getMessage();
    }

    public static String code(String error) {
      if (error == null) {
        return "ERR";
      }
      int end = error.indexOf(' ');
      String first = end < 0 ? error : error.substring(0, end);
      if (first.isEmpty() || first.length() > 32) {
        return "ERR";
      }
      for (int i = 0; i < first.length(); i++) {
        char c = first.charAt(i);
        if (c < 'A' || c > 'Z') {
          return "ERR";
        }
      }
      return first;
    }
  }

  /** Forgets everything; for tests. */
  static void clear() {
    CONNECTIONS.clear();
    COMMANDS.clear();
  }

  /**
   * The operations a connection sent and has no reply for yet, oldest first. Past {@link
   * #MAX_PENDING} (a huge pipeline), later commands are only counted so the replies stay aligned.
   */
  private static final class Pending {
    private final ArrayDeque<Operation> queue = new ArrayDeque<>();
    private long skipped;
    volatile String database;

    synchronized void add(Operation op) {
      if (skipped > 0 || queue.size() >= MAX_PENDING) {
        skipped++;
        Operations.endDbClient(op == UNRECORDED ? null : op, null);
        return;
      }
      queue.add(op);
    }

    synchronized Operation poll() {
      Operation op = queue.poll();
      if (op == null && skipped > 0) {
        skipped--;
      }
      return op;
    }

    synchronized Operation[] drain() {
      Operation[] all = queue.toArray(new Operation[0]);
      queue.clear();
      skipped = 0;
      return all;
    }
  }
}
