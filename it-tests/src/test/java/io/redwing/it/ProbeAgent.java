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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A tiny agent the tests load into a forked application to look inside it. {@code hash}: adds a
 * retransforming transformer last, retransforms one class and writes the SHA-256 of the bytes it
 * sees, which are what every earlier transformer made of it. {@code measure}: after a GC, heap and
 * metaspace used, loaded classes and the live threads' names. Its {@code main} attaches.
 */
public final class ProbeAgent {
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
    String result = parts[0].equals("hash") ? hash(instrumentation, parts[1]) : measure();
    Files.writeString(out, result, StandardCharsets.UTF_8);
  }

  private static String hash(Instrumentation instrumentation, String className) throws Exception {
    Class<?> target = null;
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (loaded.getName().equals(className)) {
        target = loaded;
        break;
      }
    }
    if (target == null) {
      return "not loaded";
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
    if (seen[0] == null) {
      return "not seen";
    }
    return sha256(seen[0]) + " " + sha256(methodCode(seen[0]));
  }

  /**
   * Each method's name and descriptor indexes, stack and locals sizes and bytecode, in order. A JVM
   * that rebuilds the class file from a redefined class (JDK 21 and newer) keeps the constant pool
   * entries of every version, so the whole file differs while the code is the original's.
   */
  static byte[] methodCode(byte[] classFile) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(classFile);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    in.position(8);
    int poolSize = in.getShort() & 0xFFFF;
    int codeName = -1;
    for (int i = 1; i < poolSize; i++) {
      int tag = in.get();
      switch (tag) {
        case 1 -> {
          int length = in.getShort() & 0xFFFF;
          byte[] utf = new byte[length];
          in.get(utf);
          if (new String(utf, StandardCharsets.UTF_8).equals("Code")) {
            codeName = i;
          }
        }
        case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
        case 15 -> in.position(in.position() + 3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
        case 5, 6 -> {
          in.position(in.position() + 8);
          i++;
        }
        default -> throw new IllegalArgumentException("constant pool tag " + tag);
      }
    }
    in.position(in.position() + 6); // access flags, this class, super class
    int interfaces = in.getShort() & 0xFFFF;
    in.position(in.position() + 2 * interfaces);
    for (int kind = 0; kind < 2; kind++) { // fields, then methods
      int count = in.getShort() & 0xFFFF;
      for (int m = 0; m < count; m++) {
        in.getShort();
        int name = in.getShort() & 0xFFFF;
        int descriptor = in.getShort() & 0xFFFF;
        int attributes = in.getShort() & 0xFFFF;
        for (int a = 0; a < attributes; a++) {
          int attributeName = in.getShort() & 0xFFFF;
          int length = in.getInt();
          if (kind == 1 && attributeName == codeName) {
            byte[] code = new byte[8];
            in.get(code, 0, 8); // max stack, max locals, code length
            int codeLength = java.nio.ByteBuffer.wrap(code, 4, 4).getInt();
            byte[] bytecode = new byte[codeLength];
            in.get(bytecode);
            out.write(name >> 8);
            out.write(name);
            out.write(descriptor >> 8);
            out.write(descriptor);
            out.writeBytes(code);
            out.writeBytes(bytecode);
            in.position(in.position() + length - 8 - codeLength);
          } else {
            in.position(in.position() + length);
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String measure() throws InterruptedException {
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
    StringBuilder text =
        new StringBuilder()
            .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
            .append('\n')
            .append(metaspace)
            .append('\n')
            .append(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount())
            .append('\n');
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      text.append(thread.getName()).append('\n');
    }
    return text.toString();
  }

  /** What {@code measure} found. */
  record Measure(long heapUsed, long metaspaceUsed, long loadedClasses, List<String> threads) {
    static Measure parse(String text) {
      List<String> lines = text.lines().toList();
      return new Measure(
          Long.parseLong(lines.get(0)),
          Long.parseLong(lines.get(1)),
          Long.parseLong(lines.get(2)),
          new ArrayList<>(lines.subList(3, lines.size())));
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
