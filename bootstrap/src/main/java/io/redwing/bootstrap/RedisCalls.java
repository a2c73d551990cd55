package io.redwing.bootstrap;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
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
  static final int MAX_REFUSED = 8;
  private static final Object[] NONE = new Object[0];

  /** Stands in the queue for a command sent while nothing was recorded, to keep replies aligned. */
  private static final Operation UNRECORDED = new Operation() {};

  private static final WeakConcurrentMap<Object, Pending> CONNECTIONS =
      new WeakConcurrentMap<>(MAX_CONNECTIONS);
  private static final WeakConcurrentMap<Object, Operation> COMMANDS =
      new WeakConcurrentMap<>(MAX_COMMANDS);

  /** Commands of a cluster connection (Lettuce), dispatched but started only once routed. */
  private static final WeakConcurrentMap<Object, Routed> ROUTED =
      new WeakConcurrentMap<>(MAX_COMMANDS);

  /** The transaction each command sent inside one belongs to, until the command ends. */
  private static final WeakConcurrentMap<Operation, Batch> IN_BATCH =
      new WeakConcurrentMap<>(MAX_COMMANDS);

  /** The multi-node pipeline (Jedis cluster) the current thread is appending a command to. */
  private static final ThreadLocal<Object> APPENDING = new ThreadLocal<>();

  private static final String MULTI = "MULTI";
  private static final String ASKING = "ASKING";
  private static final String PIPELINE = "PIPELINE";

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
    return start(
        instrumentation, null, command, argumentCount, serverAddress, serverPort, namespace);
  }

  /**
   * Starts a command sent on {@code connection}: between its {@code MULTI} and {@code EXEC} (or
   * {@code DISCARD}) commands are observed each, and the transaction is one span.
   */
  public static Operation start(
      String instrumentation,
      Object connection,
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
    if (ASKING.equalsIgnoreCase(name)) {
      // Half of a cluster's ASK redirect, which the client sends before the command itself.
      return null;
    }
    DbClientRequest request =
        request(instrumentation, name, argumentCount, serverAddress, serverPort, namespace);
    Object pipeline = connection == null ? null : APPENDING.get();
    if (pipeline != null) {
      Pending batch = CONNECTIONS.getOrPut(pipeline, new Pending());
      if (batch != null) {
        batch.pipelining(true);
        return batch.start(request);
      }
    }
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    if (pending == null && connection != null && MULTI.equalsIgnoreCase(name)) {
      pending = CONNECTIONS.getOrPut(connection, new Pending());
    }
    return pending == null ? Operations.startDbClient(request) : pending.start(request);
  }

  private static DbClientRequest request(
      String instrumentation,
      String name,
      int argumentCount,
      String serverAddress,
      int serverPort,
      String namespace) {
    return new DbClientRequest(
        instrumentation,
        SYSTEM,
        namespace,
        serverAddress,
        serverPort,
        name,
        null,
        0,
        null,
        argumentCount);
  }

  // ---- a connection whose server is known from its connect (Lettuce) ------------------------

  /**
   * {@code connection} was connected to {@code host}:{@code port}, on database {@code database}.
   */
  public static void connected(Object connection, String host, int port, int database) {
    Pending pending = connection == null ? null : CONNECTIONS.getOrPut(connection, new Pending());
    if (pending != null) {
      pending.address = host;
      pending.port = port;
      pending.database = database < 0 ? null : Integer.toString(database);
    }
  }

  /**
   * Starts a command dispatched on {@code connection} with the server and database it was connected
   * to, as its last {@code SELECT} changed it. {@code firstInteger} is read only for SELECT.
   */
  public static Operation startDispatched(
      String instrumentation,
      Object connection,
      String command,
      int argumentCount,
      Long firstInteger) {
    if (!Operations.installed()) {
      return null;
    }
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    if ("SELECT".equalsIgnoreCase(command)
        && firstInteger != null
        && firstInteger >= 0
        && firstInteger < 100_000) {
      if (pending == null && connection != null) {
        pending = CONNECTIONS.getOrPut(connection, new Pending());
      }
      if (pending != null) {
        pending.database = firstInteger.toString();
      }
    }
    return start(
        instrumentation,
        connection,
        command,
        argumentCount,
        pending == null ? null : pending.address,
        pending == null ? 0 : pending.port,
        pending == null ? null : pending.database);
  }

  /**
   * {@code command} was handed to {@code connection}: a standalone connection's starts now ({@link
   * #startDispatched}), a cluster connection's once it is routed to a node ({@link
   * #dispatchedToCluster}, keyed by {@code innermost}, the command its wrappers delegate to).
   */
  public static void dispatch(
      String instrumentation,
      Object connection,
      Object command,
      boolean cluster,
      Object innermost,
      String name,
      int argumentCount,
      Long firstInteger) {
    if (cluster) {
      dispatchedToCluster(instrumentation, innermost, name, argumentCount);
    } else {
      dispatched(
          command, startDispatched(instrumentation, connection, name, argumentCount, firstInteger));
    }
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
      end(op, null, thrown);
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
    Operation op = pending.poll();
    if (thrown != null && op != null && op != UNRECORDED && pending.holdRefused(op, thrown)) {
      return;
    }
    if (thrown != null
        && isRedirect(thrown)
        && op != null
        && op != UNRECORDED
        && IN_BATCH.get(op) == null) {
      // MOVED or ASK: the client sends the command again to the node named; that one is the
      // command.
      Operations.discardDbClient(op);
      return;
    }
    end(op, reply, thrown);
  }

  /**
   * {@code connection}'s client starts its handshake (Jedis: {@code AUTH} or {@code HELLO}, {@code
   * CLIENT SETNAME}, {@code CLIENT SETINFO}, {@code READONLY}, {@code SELECT}). It sends some of
   * these without caring whether the server accepts them: a Redis before 7.2 refuses {@code CLIENT
   * SETINFO} on every new connection, and the client carries on. Counted as failures, those
   * refusals made an application that opens connections often look as if most of its Redis commands
   * failed. So an error reply during the handshake is held until {@link #handshakeEnded}.
   */
  public static void handshakeStarted(Object connection) {
    Pending pending = connection == null ? null : CONNECTIONS.getOrPut(connection, new Pending());
    if (pending != null) {
      pending.handshaking();
    }
  }

  /**
   * The handshake returned, or threw {@code thrown}. An error reply the client threw (a refused
   * {@code AUTH}) fails its command; one it read and went on from was no failure for the
   * application, and its command ends as a success. Those end now, so their durations include the
   * rest of the handshake: a round trip or two, once per connection.
   */
  public static void handshakeEnded(Object connection, Throwable thrown) {
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    if (pending == null) {
      return;
    }
    Object[] held = pending.endHandshake();
    for (int i = 0; i < held.length; i += 2) {
      Throwable refusal = (Throwable) held[i + 1];
      end((Operation) held[i], null, Causes.isOrCauses(refusal, thrown) ? refusal : null);
    }
  }

  /** A cluster's MOVED or ASK reply, which Jedis reports as a JedisRedirectionException. */
  static boolean isRedirect(Throwable thrown) {
    for (Class<?> c = thrown.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().endsWith(".JedisRedirectionException")) {
        return true;
      }
    }
    return false;
  }

  private static void end(Operation op, Object reply, Throwable thrown) {
    if (op == null || op == UNRECORDED) {
      return;
    }
    Batch batch = IN_BATCH.take(op);
    if (batch != null) {
      batch.ended(op, reply, thrown);
    }
    if (thrown == null) {
      Operations.dbReply(op, reply);
    }
    Operations.endDbClient(op, thrown);
  }

  /**
   * The code ({@code ERR}, {@code WRONGTYPE}) of {@code thrown} when it is a client's exception for
   * an error reply of Redis, whose text may quote the command's arguments: Jedis's
   * JedisDataException, Lettuce's RedisCommandExecutionException (its synchronous API throws a new
   * one around the command's), or the agent's own {@link ErrorReply}. Null for any other.
   */
  public static String errorReplyCode(Throwable thrown) {
    if (thrown instanceof ErrorReply) {
      return ((ErrorReply) thrown).code;
    }
    return isErrorReply(thrown) || isExecutionError(thrown)
        ? ErrorReply.code(thrown.getMessage())
        : null;
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

  // ---- pipelines (Jedis) --------------------------------------------------------------------

  /**
   * Commands {@code connection} sends from now on are queued in a pipeline, or, when {@code on} is
   * false, no longer are. Those sent between two syncs of the pipeline are one batch.
   */
  public static void pipelining(Object connection, boolean on) {
    if (connection == null || !Operations.installed()) {
      return;
    }
    Pending pending =
        on ? CONNECTIONS.getOrPut(connection, new Pending()) : CONNECTIONS.get(connection);
    if (pending != null) {
      pending.pipelining(on);
    }
  }

  /**
   * The current thread appends a command to {@code pipeline}, which writes it on the connection to
   * the node of its key (a Jedis cluster pipeline), or, when {@code on} is false, no longer does.
   * The commands of all nodes appended between two syncs are one batch, which the pipeline's sync
   * ends ({@link #pipelineSynced} with the pipeline).
   */
  public static void appending(Object pipeline, boolean on) {
    if (on && pipeline != null && Operations.installed()) {
      APPENDING.set(pipeline);
    } else {
      APPENDING.remove();
    }
  }

  /**
   * {@code connection} (Lettuce) stops flushing each command as it is dispatched, or, when {@code
   * on}, flushes again: the commands dispatched in between, up to a {@link #flushed}, are one
   * batch, which ends with the last of their replies.
   */
  public static void autoFlush(Object connection, boolean on) {
    if (connection == null || !Operations.installed()) {
      return;
    }
    Pending pending =
        on ? CONNECTIONS.get(connection) : CONNECTIONS.getOrPut(connection, new Pending());
    if (pending != null) {
      pending.manualFlush(!on);
      if (on) {
        flushed(connection);
      }
    }
  }

  /** {@code connection} wrote the commands it held back: their batch is complete. */
  public static void flushed(Object connection) {
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    Batch batch = pending == null ? null : pending.takePipeline();
    if (batch != null) {
      batch.closeWhenEnded();
    }
  }

  /**
   * {@code pipeline} opens a connection, whose own commands (HELLO) are no part of the batch:
   * appending stops until {@link #appending} is called again with the result, true if it paused.
   */
  public static boolean pauseAppending(Object pipeline) {
    if (pipeline == null || APPENDING.get() != pipeline) {
      return false;
    }
    APPENDING.remove();
    return true;
  }

  /**
   * The pipeline on {@code connection} (or the multi-node pipeline itself) read the replies of its
   * queued commands, or failed to with {@code thrown}: the batch of the commands sent since its
   * last sync ends now.
   */
  public static void pipelineSynced(Object connection, Throwable thrown) {
    Pending pending = connection == null ? null : CONNECTIONS.get(connection);
    Batch batch = pending == null ? null : pending.takePipeline();
    if (batch != null) {
      batch.finish(thrown);
    }
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
    Routed routed = ROUTED.isEmpty() ? null : ROUTED.take(command);
    if (op != null) {
      COMMANDS.remove(command);
      return op;
    }
    // A cluster command that ends before it reached a node (its connection failed): no address.
    return routed == null ? null : routed.start(null, 0);
  }

  // ---- commands routed to a cluster's nodes (Lettuce) ---------------------------------------

  /**
   * {@code command} was dispatched on a cluster connection, which picks its node later: it starts
   * when {@link #routed} to one, as a child of the span current now. {@code command} is the
   * innermost one, which each wrapper the client adds on the way (async, cluster) delegates to.
   */
  public static void dispatchedToCluster(
      String instrumentation, Object command, String name, int argumentCount) {
    if (command != null && Operations.installed()) {
      ROUTED.put(
          command, new Routed(instrumentation, name, argumentCount, Operations.captureContext()));
    }
  }

  /**
   * {@code command} is written to the node at {@code node}: its operation starts, with that node's
   * address. Written again (a MOVED or ASK redirect, a reconnect), the earlier attempt is dropped
   * and the command starts anew: the node that answers it is the one its operation names.
   */
  public static void routed(Object command, SocketAddress node) {
    Routed routed = command == null || ROUTED.isEmpty() ? null : ROUTED.get(command);
    if (routed == null) {
      return;
    }
    String host = null;
    int port = 0;
    if (node instanceof InetSocketAddress) {
      host = ((InetSocketAddress) node).getHostString();
      port = ((InetSocketAddress) node).getPort();
    }
    Operation earlier = COMMANDS.get(command);
    if (earlier != null) {
      COMMANDS.remove(command);
      Operations.discardDbClient(earlier);
    }
    dispatched(command, routed.start(host, port));
  }

  /** A dispatched command completed with {@code reply}. */
  public static void completed(Operation op, Object reply) {
    end(op, reply, null);
  }

  public static void failed(Operation op, Throwable error) {
    end(
        op,
        null,
        error == null
            ? new CancellationException()
            : isExecutionError(error) ? new ErrorReply(error.getMessage()) : error);
  }

  /**
   * Lettuce's exception for an error reply, which ends a cluster command (known by its innermost
   * command, which the async wrapper fails with it): known by the reply's code, as elsewhere.
   */
  private static boolean isExecutionError(Throwable error) {
    for (Class<?> c = error.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().endsWith(".RedisCommandExecutionException")) {
        return true;
      }
    }
    return false;
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
    ROUTED.clear();
    IN_BATCH.clear();
  }

  /** What a cluster command's operation starts with once its node is known. */
  private static final class Routed {
    private final String instrumentation;
    private final String name;
    private final int argumentCount;
    private final Object context;

    Routed(String instrumentation, String name, int argumentCount, Object context) {
      this.instrumentation = instrumentation;
      this.name = name;
      this.argumentCount = argumentCount;
      this.context = context;
    }

    /** Starts it on the current thread, which may be the client's I/O thread, under its span. */
    Operation start(String host, int port) {
      Object token = Operations.attachContext(context);
      try {
        return RedisCalls.start(instrumentation, name, argumentCount, host, port, null);
      } finally {
        Operations.detachContext(token);
      }
    }
  }

  /**
   * The operations a connection sent and has no reply for yet, oldest first. Past {@link
   * #MAX_PENDING} (a huge pipeline), later commands are only counted so the replies stay aligned.
   */
  private static final class Pending {
    private final ArrayDeque<Operation> queue = new ArrayDeque<>();
    private long skipped;
    volatile String database;
    volatile String address;
    volatile int port;
    private Batch batch;
    private boolean pipelining;
    private boolean manualFlush;
    private Batch pipeline;

    private boolean handshaking;

    /** Commands and the error replies they got during the handshake, in pairs. */
    private Object[] refused;

    private int refusedCount;

    /**
     * Starts {@code request}'s operation: in a pipeline, in the batch its first command since the
     * last sync opened; a MULTI opens a transaction, whose commands are started in it, up to the
     * EXEC or DISCARD that closes it.
     */
    synchronized Operation start(DbClientRequest request) {
      String name = request.operationName;
      if (pipelining || manualFlush) {
        if (pipeline == null) {
          pipeline = new Batch(Operations.startDbBatch(request), PIPELINE);
        }
        pipeline.counted(name);
        return pipeline.track(Operations.startDbClientInBatch(request, pipeline.op), false);
      }
      if (batch == null && MULTI.equalsIgnoreCase(name)) {
        batch = new Batch(Operations.startDbBatch(request), MULTI);
        return batch.track(Operations.startDbClientInBatch(request, batch.op), false);
      }
      if (batch == null) {
        return Operations.startDbClient(request);
      }
      Batch open = batch;
      boolean closes = "EXEC".equalsIgnoreCase(name) || "DISCARD".equalsIgnoreCase(name);
      if (closes) {
        batch = null;
      } else {
        open.counted(name);
      }
      return open.track(Operations.startDbClientInBatch(request, open.op), closes);
    }

    synchronized void pipelining(boolean on) {
      pipelining = on;
    }

    synchronized void manualFlush(boolean on) {
      manualFlush = on;
    }

    synchronized Batch takePipeline() {
      Batch taken = pipeline;
      pipeline = null;
      return taken;
    }

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

    synchronized void handshaking() {
      handshaking = true;
    }

    /**
     * Keeps {@code op} and its error reply when the connection is shaking hands; a handshake never
     * sends more than a few commands, so past {@link #MAX_REFUSED} they fail as they come.
     */
    synchronized boolean holdRefused(Operation op, Throwable error) {
      if (!handshaking || refusedCount == 2 * MAX_REFUSED) {
        return false;
      }
      if (refused == null) {
        refused = new Object[2 * MAX_REFUSED];
      }
      refused[refusedCount++] = op;
      refused[refusedCount++] = error;
      return true;
    }

    synchronized Object[] endHandshake() {
      Object[] held = refused == null ? NONE : Arrays.copyOf(refused, refusedCount);
      handshaking = false;
      refused = null;
      refusedCount = 0;
      return held;
    }

    synchronized Operation[] drain() {
      Operation[] all = queue.toArray(new Operation[0]);
      queue.clear();
      skipped = 0;
      return all;
    }
  }

  /**
   * A transaction: the commands between its MULTI and its EXEC or DISCARD, whose reply ends it; or
   * the commands a pipeline sent between two syncs, ended by the second. Its name is its kind
   * ({@code MULTI}, {@code PIPELINE}), or the kind and the command when all its commands are the
   * same one ({@code PIPELINE SET}).
   */
  private static final class Batch {
    final Operation op;
    private final String kind;
    private String command;
    private boolean mixed;
    private int size;
    private Operation closer;
    private Throwable error;
    private int outstanding;
    private boolean closeWhenEnded;

    Batch(Operation op, String kind) {
      this.op = op;
      this.kind = kind;
    }

    synchronized void counted(String name) {
      if (size++ == 0) {
        command = name;
      } else if (command == null || !command.equalsIgnoreCase(name)) {
        mixed = true;
      }
    }

    /** {@code command} belongs to this batch; when {@code closes}, its end ends the batch. */
    Operation track(Operation command, boolean closes) {
      if (op == null) {
        return command;
      }
      boolean tracked = command != null && IN_BATCH.put(command, this);
      if (tracked) {
        synchronized (this) {
          outstanding++;
        }
      }
      if (closes) {
        synchronized (this) {
          closer = command;
        }
        if (!tracked) {
          finish(null);
        }
      }
      return command;
    }

    void ended(Operation command, Object reply, Throwable thrown) {
      boolean closing;
      boolean last;
      synchronized (this) {
        closing = command == closer;
        if (!closing && thrown != null && error == null) {
          error = thrown;
        }
        last = --outstanding == 0 && closeWhenEnded;
      }
      if (closing) {
        finish(thrown != null ? thrown : failureIn(reply));
      } else if (last) {
        finish(null);
      }
    }

    /** No command joins any more: the batch ends with the last reply, or now if all came. */
    void closeWhenEnded() {
      boolean done;
      synchronized (this) {
        closeWhenEnded = true;
        done = outstanding == 0;
      }
      if (done) {
        finish(null);
      }
    }

    void finish(Throwable thrown) {
      String name;
      int count;
      Throwable failure;
      synchronized (this) {
        name = size == 0 || mixed ? kind : kind + " " + command;
        count = size;
        failure = thrown != null ? thrown : error;
      }
      Operations.endDbBatch(op, name, count, failure);
    }

    /**
     * The first command that failed inside EXEC: clients put its error in the reply's list.
     * Lettuce's is an error reply like those it reports outside transactions, so it is known by its
     * code.
     */
    private static Throwable failureIn(Object reply) {
      if (reply instanceof Iterable) {
        for (Object each : (Iterable<?>) reply) {
          if (each instanceof Throwable) {
            Throwable failure = (Throwable) each;
            return isExecutionError(failure) ? new ErrorReply(failure.getMessage()) : failure;
          }
        }
      }
      return null;
    }
  }
}
