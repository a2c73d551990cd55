package io.redwing.it;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A tiny agent the tests load into a forked application to look inside it. {@code class}: adds a
 * retransforming transformer last, retransforms one class and writes the class file it sees, which
 * is what every earlier transformer made of it. {@code measure}: after a GC, heap and metaspace
 * used, loaded classes, class loaders, the agent's classes and the live threads' names. Its {@code
 * main} attaches.
 */
public final class ProbeAgent {
  private static final String REFLECTION_LOADER = "jdk.internal.reflect.DelegatingClassLoader";

  /** The packages of the agent jar and of the bootstrap jar it injects. */
  private static final List<String> AGENT_PACKAGES =
      List.of(
          "io.redwing.agent.",
          "io.redwing.bootstrap.",
          "io.redwing.instrumentation.",
          "io.redwing.shaded.");

  private ProbeAgent() {}

  /** {@code <pid> <agent argument>}: loads this jar into the JVM {@code pid}. */
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      String jar =
          Path.of(ProbeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      vm.loadAgent(jar, args[1]);
    } finally {
      vm.detach();
    }
  }

  public static void agentmain(String args, Instrumentation instrumentation) throws Exception {
    String[] parts = args.split(";");
    Path out = Path.of(parts[parts.length - 1]);
    if (parts[0].equals("class")) {
      byte[] bytes = classFile(instrumentation, parts[1]);
      Files.write(out, bytes != null ? bytes : new byte[0]);
    } else {
      Files.writeString(out, measure(instrumentation), StandardCharsets.UTF_8);
    }
  }

  /** The class file a transformer added last is given for {@code className}; null if not loaded. */
  private static byte[] classFile(Instrumentation instrumentation, String className)
      throws Exception {
    Class<?> target = null;
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (loaded.getName().equals(className)) {
        target = loaded;
        break;
      }
    }
    if (target == null) {
      return null;
    }
    String internalName = className.replace('.', '/');
    byte[][] seen = new byte[1][];
    ClassFileTransformer recorder =
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              ClassLoader loader,
              String name,
              Class<?> redefined,
              ProtectionDomain domain,
              byte[] bytes) {
            if (internalName.equals(name)) {
              seen[0] = bytes.clone();
            }
            return null;
          }
        };
    instrumentation.addTransformer(recorder, true);
    try {
      instrumentation.retransformClasses(target);
    } finally {
      instrumentation.removeTransformer(recorder);
    }
    return seen[0];
  }

  private static String measure(Instrumentation instrumentation) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long metaspace = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        metaspace = pool.getUsage().getUsed();
      }
    }
    Set<ClassLoader> loaders = Collections.newSetFromMap(new IdentityHashMap<>());
    int agentClasses = 0;
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      ClassLoader loader = loaded.getClassLoader();
      // JDK 17's reflection gives each Method or Constructor called 15 times its own generated
      // class and loader, once; JDK 18 and newer call through method handles (JEP 416).
      if (loader != null && !loader.getClass().getName().equals(REFLECTION_LOADER)) {
        loaders.add(loader);
      }
      for (String agentPackage : AGENT_PACKAGES) {
        if (loaded.getName().startsWith(agentPackage)) {
          agentClasses++;
        }
      }
    }
    StringBuilder text =
        new StringBuilder()
            .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
            .append('\n')
            .append(metaspace)
            .append('\n')
            .append(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount())
            .append('\n')
            .append(loaders.size())
            .append('\n')
            .append(agentClasses)
            .append('\n');
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      text.append(thread.getName()).append('\n');
    }
    return text.toString();
  }

  /**
   * What {@code measure} found: heap and metaspace used, classes loaded, class loaders (without JDK
   * 17's reflection loaders), and the agent's classes loaded (in any loader).
   */
  record Measure(
      long heapUsed,
      long metaspaceUsed,
      long loadedClasses,
      long classLoaders,
      long agentClasses,
      List<String> threads) {
    static Measure parse(String text) {
      List<String> lines = text.lines().toList();
      return new Measure(
          Long.parseLong(lines.get(0)),
          Long.parseLong(lines.get(1)),
          Long.parseLong(lines.get(2)),
          Long.parseLong(lines.get(3)),
          Long.parseLong(lines.get(4)),
          new ArrayList<>(lines.subList(5, lines.size())));
    }
  }

  /** Packs this class into an agent jar in {@code directory}. */
  static Path jar(Path directory) {
    Path jar = directory.resolve("probe-agent.jar");
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Agent-Class", ProbeAgent.class.getName());
    main.putValue("Main-Class", ProbeAgent.class.getName());
    main.putValue("Can-Retransform-Classes", "true");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (String name : List.of("ProbeAgent", "ProbeAgent$1")) {
        String entry = "io/redwing/it/" + name + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = ProbeAgent.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }
}
