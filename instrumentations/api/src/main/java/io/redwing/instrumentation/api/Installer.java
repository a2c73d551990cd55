package io.redwing.instrumentation.api;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.redwing.bootstrap.Operations;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs {@link TypeInstrumentation}s with Byte Buddy, in the agent and in the in-process tests
 * alike. Retransformation only, with class format changes disabled, so that classes loaded before
 * an attach can be instrumented too; the returned transformer undoes everything when reset.
 *
 * <p>The bootstrap jar must already be on the bootstrap class path: the advice error handler calls
 * {@link Operations}.
 */
public final class Installer {

  /** What happened to each type an instrumentation matched. */
  public interface Events {
    void transformed(String instrumentation, String typeName);

    void failed(String typeName, Throwable error);
  }

  private Installer() {}

  public static ResettableClassFileTransformer install(
      Instrumentation instrumentation, List<TypeInstrumentation> instrumentations, Events events) {
    // Inlined advice needs no initializer injected into loaders, and setting up the injection
    // took a tenth of the agent's start-up. The name follows Byte Buddy's relocated package.
    String noNexus = ByteBuddy.class.getPackage().getName() + ".nexus.disabled";
    if (System.getProperty(noNexus) == null) {
      System.setProperty(noNexus, "true");
    }
    TypePoolCache types = new TypePoolCache();
    AgentBuilder builder =
        new AgentBuilder.Default(
                new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    // Advice only rewrites declared methods, so the default compiler's graph of
                    // every inherited method was built for nothing: half of each transform's cost.
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            // Loaded classes are described by reflection and the others lazily from the pool, so
            // a name matcher rejects most classes before any class file is parsed; POOL_FIRST
            // parsed every class the JVM loaded.
            .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
            .with(types)
            .with(new ErrorListener(events))
            .ignore(
                nameStartsWith("net.bytebuddy.")
                    .or(nameStartsWith("io.redwing.bootstrap."))
                    .or(nameStartsWith("io.redwing.agent."))
                    .or(nameStartsWith("io.redwing.instrumentation."))
                    .or(nameStartsWith("io.redwing.shaded."))
                    .or(nameStartsWith("jdk.internal.reflect."))
                    .or(nameStartsWith("sun.reflect.")));
    for (TypeInstrumentation ti : instrumentations) {
      builder = add(builder, ti, types, events);
    }
    return builder.installOn(instrumentation);
  }

  /**
   * Drops the cached type descriptions of class loaders that loaded nothing for {@code idleNanos}:
   * call it now and then from a background thread once start-up is over.
   */
  public static void releaseIdleTypeCaches(long idleNanos) {
    TypePoolCache.releaseIdle(idleNanos);
  }

  private static AgentBuilder add(
      AgentBuilder builder, TypeInstrumentation ti, TypePoolCache types, Events events) {
    AgentBuilder.Transformer.ForAdvice[] advice = {
      new AgentBuilder.Transformer.ForAdvice()
          // by default each transform parsed the advice, and the types it names, anew
          .with(types)
          .include(ti.getClass().getClassLoader())
          .withExceptionHandler(reportingTo(ti.name()))
    };
    ti.transform(
        (methods, adviceClassName) -> advice[0] = advice[0].advice(methods, adviceClassName));
    String name = ti.name();
    return builder
        .type(ti.typeMatcher(), ti.classLoaderMatcher())
        .transform(advice[0])
        .transform(new Reporting(name, events));
  }

  /** Suppressed advice errors go to {@link Operations#adviceFailed}, tagged with the name. */
  private static Advice.ExceptionHandler reportingTo(String instrumentation) {
    try {
      MethodDescription adviceFailed =
          new MethodDescription.ForLoadedMethod(
              Operations.class.getMethod("adviceFailed", Throwable.class, String.class));
      return new Advice.ExceptionHandler.Simple(
          new StackManipulation.Compound(
              new TextConstant(instrumentation), MethodInvocation.invoke(adviceFailed)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("bootstrap jar does not match the agent", e);
    }
  }

  private static final class Reporting implements AgentBuilder.Transformer {
    private final String instrumentation;
    private final Events events;

    Reporting(String instrumentation, Events events) {
      this.instrumentation = instrumentation;
      this.events = events;
    }

    @Override
    public DynamicType.Builder<?> transform(
        DynamicType.Builder<?> builder,
        TypeDescription type,
        ClassLoader classLoader,
        JavaModule module,
        java.security.ProtectionDomain protectionDomain) {
      events.transformed(instrumentation, type.getName());
      return builder;
    }
  }

  private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    private final Events events;

    ErrorListener(Events events) {
      this.events = events;
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      events.failed(typeName, throwable);
    }
  }
}
