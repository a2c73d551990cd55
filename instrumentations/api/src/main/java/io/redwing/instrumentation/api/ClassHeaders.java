package io.redwing.instrumentation.api;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * One loader's class-file headers (access flags, superclass, interfaces), bounded like its type
 * descriptions. Reading a header only indexes the constant pool, where describing a type parses
 * every method and signature: asking whether each class the application loads implements {@code
 * java.sql.Connection} that way was most of the agent's start-up work.
 */
final class ClassHeaders {
  static final int MAX_HEADERS_PER_LOADER = 8_192;

  private final ConcurrentHashMap<String, Header> headers = new ConcurrentHashMap<>();

  /**
   * Whether {@code name}, located through {@code locator}, is a class (not an interface) with one
   * of {@code superTypes} among its super types or itself; null when its own class file cannot be
   * read. Super types that cannot be located are skipped.
   */
  Boolean isClassImplementing(String name, ClassFileLocator locator, Set<String> superTypes) {
    Header own = header(name, locator);
    if (own == null) {
      return null;
    }
    if (own.isInterface) {
      return false;
    }
    // java.* types are the JDK's, whose super types are the JDK's too: unless one is wanted, their
    // class files (read from the runtime image, slowly) need not be looked at.
    boolean jdkWanted = false;
    for (String superType : superTypes) {
      jdkWanted |= superType.startsWith("java.");
    }
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> pending = new ArrayDeque<>();
    pending.add(name);
    while (!pending.isEmpty()) {
      String type = pending.poll();
      if (!seen.add(type)) {
        continue;
      }
      if (superTypes.contains(type)) {
        return true;
      }
      if (!jdkWanted && type.startsWith("java.")) {
        continue;
      }
      Header header = type.equals(name) ? own : header(type, locator);
      if (header != null) {
        if (header.superName != null) {
          pending.add(header.superName);
        }
        Collections.addAll(pending, header.interfaces);
      }
    }
    return false;
  }

  private Header header(String name, ClassFileLocator locator) {
    Header known = headers.get(name);
    if (known != null) {
      return known;
    }
    Header read;
    try {
      ClassFileLocator.Resolution resolution = locator.locate(name);
      if (!resolution.isResolved()) {
        return null; // not cached: a class may be defined later
      }
      read = Header.of(resolution.resolve());
    } catch (IOException | RuntimeException e) {
      return null; // as if it could not be located: the caller decides without it
    }
    if (headers.size() >= MAX_HEADERS_PER_LOADER) {
      headers.clear();
    }
    headers.put(name, read);
    return read;
  }

  int size() {
    return headers.size();
  }

  void clear() {
    headers.clear();
  }

  /** Binary names with dots, as type descriptions have them. */
  static final class Header {
    final boolean isInterface;
    final String superName;
    final String[] interfaces;

    private Header(boolean isInterface, String superName, String[] interfaces) {
      this.isInterface = isInterface;
      this.superName = superName;
      this.interfaces = interfaces;
    }

    static Header of(byte[] classFile) {
      ClassReader reader = new ClassReader(classFile);
      String superName = reader.getSuperName();
      String[] interfaces = reader.getInterfaces();
      for (int i = 0; i < interfaces.length; i++) {
        interfaces[i] = interfaces[i].replace('/', '.');
      }
      return new Header(
          (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0,
          superName == null ? null : superName.replace('/', '.'),
          interfaces);
    }
  }
}
