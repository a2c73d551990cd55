package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the tests of an instrumentation in-process: installs the agent's parts once per JVM (Byte
 * Buddy's self-attach, the bootstrap jar, every {@link TypeInstrumentation} on the class path, a
 * recording listener in place of agent-core), clears the recording before each test and fails a
 * test after which advice reported an error or a matched type failed to transform.
 */
public final class InstrumentationExtension implements BeforeEachCallback, AfterEachCallback {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final InstalledAgent agent;

  public InstrumentationExtension() {
    agent = InstalledAgent.INSTANCE;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    clear();
    agent.recorder.takeAdviceFailures();
    agent.events.takeFailures(agent.allInstrumentations());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Throwable> problems = new ArrayList<>();
    for (Recorder.AdviceFailure f : agent.recorder.takeAdviceFailures()) {
      problems.add(new AssertionError("advice of " + f.instrumentation() + " threw", f.error()));
    }
    for (TransformEvents.Failure f : agent.events.takeFailures(agent.allInstrumentations())) {
      problems.add(new AssertionError("transforming " + f.typeName() + " failed", f.error()));
    }
    if (!problems.isEmpty()) {
      AssertionError failure =
          new AssertionError(problems.size() + " advice or transformation failure(s)");
      for (Throwable problem : problems) {
        problem.printStackTrace();
        failure.addSuppressed(problem);
      }
      throw failure;
    }
  }

  /** Every server operation recorded since the last clear, ended or not. */
  public List<HttpServerOperation> httpServerOperations() {
    return agent.recorder.httpServerOperations();
  }

  /**
   * Waits until at least {@code count} server operations started and every one of them ended, and
   * returns them all; fails after ten seconds.
   */
  public List<HttpServerOperation> awaitHttpServerOperations(int count) {
    return agent.recorder.awaitHttpServerOperations(count, TIMEOUT);
  }

  /** The batches (Redis MULTI/EXEC) started so far, each holding its commands' one span. */
  public List<DbBatchOperation> dbBatches() {
    return agent.recorder.dbBatches();
  }

  /**
   * Every database or cache client operation recorded since the last clear, in start order. Such
   * operations end on the calling thread before the call returns, so there is nothing to await.
   */
  public List<DbClientOperation> dbClientOperations() {
    return agent.recorder.dbClientOperations();
  }

  /**
   * Every traced method's operation recorded since the last clear, in start order. Such operations
   * end on the calling thread before the call returns, so there is nothing to await.
   */
  public List<MethodOperation> methodOperations() {
    return agent.recorder.methodOperations();
  }

  /**
   * Installs instrumentations built from configuration rather than found by the service loader,
   * until the returned handle is closed; their advice errors and failed transformations fail the
   * test as the others' do.
   */
  public Installed install(List<TypeInstrumentation> configured) {
    return agent.installConfigured(configured);
  }

  /** Configured instrumentations in place; closing undoes their transformations. */
  public interface Installed extends AutoCloseable {
    @Override
    void close();
  }

  /** Every HTTP client operation recorded since the last clear, in start order, ended or not. */
  public List<HttpClientOperation> httpClientOperations() {
    return agent.recorder.httpClientOperations();
  }

  /**
   * Waits until at least {@code count} client operations started and every one of them ended (an
   * async call may end on another thread just after the application saw its response), and returns
   * them all; fails after ten seconds.
   */
  public List<HttpClientOperation> awaitHttpClientOperations(int count) {
    return agent.recorder.awaitHttpClientOperations(count, TIMEOUT);
  }

  /**
   * Every record the application logged since the last clear, in order, as advice handed it over.
   */
  public List<LogRecord> logRecords() {
    return agent.recorder.logRecords();
  }

  /** The log records of one logger, in the order they were handed over. */
  public List<LogRecord> logRecords(String logger) {
    return logRecords().stream().filter(r -> r.logger().equals(logger)).toList();
  }

  /**
   * The errors advice reported since the test started, for a test that provokes them on purpose;
   * taken, they no longer fail the test.
   */
  public List<Throwable> takeAdviceFailures() {
    List<Throwable> errors = new ArrayList<>();
    for (Recorder.AdviceFailure f : agent.recorder.takeAdviceFailures()) {
      errors.add(f.error());
    }
    return errors;
  }

  /**
   * Makes {@code context} current on this thread, as a server span would be, until the returned
   * scope is closed: what the agent would carry across threads is then this object.
   */
  public ContextScope makeCurrent(Object context) {
    Object token = Operations.attachContext(context);
    return () -> Operations.detachContext(token);
  }

  /** A context made current by {@link #makeCurrent}; closing it restores the previous one. */
  public interface ContextScope extends AutoCloseable {
    @Override
    void close();
  }

  public void clear() {
    agent.recorder.clear();
  }

  /** The instrumentations found on the class path and installed. */
  public List<TypeInstrumentation> instrumentations() {
    return agent.instrumentations;
  }

  /** Names of the types the instrumentations transformed so far. */
  public Set<String> transformedTypes() {
    return agent.events.transformedTypes();
  }
}
