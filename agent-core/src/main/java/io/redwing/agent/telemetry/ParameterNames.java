package io.redwing.agent.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A method's parameter names from its class file's {@code MethodParameters} attribute (javac {@code
 * -parameters}). Reflection loses them once a class was retransformed, as every class loaded before
 * the agent is, because the JVM rebuilds the class file without that attribute.
 */
final class ParameterNames {
  private ParameterNames() {}

  /** The names, or null when the class file has none or cannot be read. */
  static String[] of(Method method) {
    Class<?> type = method.getDeclaringClass();
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader();
    String[] names = new String[method.getParameterCount()];
    String descriptor = TracedMethods.descriptor(method);
    try (InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      // not SKIP_DEBUG: ASM counts MethodParameters as debug information
      new ClassReader(in)
          .accept(new Reader(method.getName(), descriptor, names), ClassReader.SKIP_CODE);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return names.length > 0 && names[names.length - 1] != null ? names : null;
  }

  private static final class Reader extends ClassVisitor {
    private final String name;
    private final String descriptor;
    private final String[] names;

    Reader(String name, String descriptor, String[] names) {
      super(Opcodes.ASM9);
      this.name = name;
      this.descriptor = descriptor;
      this.names = names;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String method, String desc, String signature, String[] exceptions) {
      if (!method.equals(name) || !desc.equals(descriptor)) {
        return null;
      }
      return new MethodVisitor(Opcodes.ASM9) {
        private int index;

        @Override
        public void visitParameter(String parameter, int parameterAccess) {
          if (index < names.length) {
            names[index++] = parameter;
          }
        }
      };
    }
  }
}
