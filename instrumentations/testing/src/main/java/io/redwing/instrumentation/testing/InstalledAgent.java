package io.redwing.instrumentation.testing;

import io.redwing.instrumentation.api.Installer;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/** The agent as the tests run it, installed once per JVM, the first time a test asks for it. */
final class InstalledAgent {
  static final InstalledAgent INSTANCE = install();

  final Recorder recorder;
  final TransformEvents events;
  final List<TypeInstrumentation> instrumentations;
  private final List<TypeInstrumentation> configuredInstrumentations =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private InstalledAgent(
      Recorder recorder, TransformEvents events, List<TypeInstrumentation> instrumentations) {
    this.recorder = recorder;
    this.events = events;
    this.instrumentations = instrumentations;
  }

  /** Installs the agent unless this JVM already did: initialising this class does it. */
  static void ensureInstalled() {
    Objects.requireNonNull(INSTANCE);
  }

  /** See {@link InstrumentationExtension#install}. */
  InstrumentationExtension.Installed installConfigured(List<TypeInstrumentation> configured) {
    Instrumentation instrumentation = ByteBuddyAgent.getInstrumentation();
    ResettableClassFileTransformer transformer =
        Installer.install(instrumentation, configured, events);
    configuredInstrumentations.addAll(configured);
    return () -> {
      transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
      configuredInstrumentations.removeAll(configured);
    };
  }

  /** The service loader's and those a test installed from configuration, for failure checks. */
  List<TypeInstrumentation> allInstrumentations() {
    List<TypeInstrumentation> all = new java.util.ArrayList<>(instrumentations);
    all.addAll(configuredInstrumentations);
    return all;
  }

  private static InstalledAgent install() {
    Instrumentation instrumentation = ByteBuddyAgent.install();
    try {
      // First, before anything loads a bootstrap class: see BootstrapClassPath.
      BootstrapClassPath.append(instrumentation);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bootstrapLoadedTooEarly()) {
      throw new IllegalStateException(
          "io.redwing.bootstrap.Operations was loaded from the class path before the agent was"
              + " installed; install it first (EarlyInstallation does, when the testing jar's"
              + " META-INF/services reach the JUnit launcher)");
    }
    Recorder recorder = Recorder.install();
    TransformEvents events = new TransformEvents();
    List<TypeInstrumentation> instrumentations =
        ServiceLoader.load(TypeInstrumentation.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    Installer.install(instrumentation, instrumentations, events);
    return new InstalledAgent(recorder, events, instrumentations);
  }

  private static boolean bootstrapLoadedTooEarly() {
    try {
      return Class.forName(
                  "io.redwing.bootstrap.Operations", false, InstalledAgent.class.getClassLoader())
              .getClassLoader()
          != null;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the bootstrap jar is not on the class path", e);
    }
  }
}
