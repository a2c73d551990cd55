package io.redwing.instrumentation.testing;

import io.redwing.instrumentation.api.TypeInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The rules of STYLE.md for inlined advice, checked on the class files so the advice classes are
 * never loaded: nested {@code public static} classes with only {@code onEnter}/{@code onExit}, no
 * fields, no reference to the outer class, {@code suppress = Throwable.class} on both annotations,
 * {@code onThrowable = Throwable.class} on an exit that ends an operation its enter started, and
 * nothing that compiles to invokedynamic or a try/catch block; and every advice class the
 * instrumentation applies by name is one of them.
 */
public final class AdviceRules {
  private static final String ENTER =
      Type.getDescriptor(net.bytebuddy.asm.Advice.OnMethodEnter.class);
  private static final String EXIT =
      Type.getDescriptor(net.bytebuddy.asm.Advice.OnMethodExit.class);
  private static final String THROWABLE = "Ljava/lang/Throwable;";
  private static final String OPERATION = "Lio/redwing/bootstrap/Operation;";
  private static final Set<String> ADVICE_METHODS = Set.of("onEnter", "onExit", "<init>");
  private static final Set<String> IMMUTABLE_COLLECTIONS =
      Set.of("java/util/List", "java/util/Set", "java/util/Map");

  private AdviceRules() {}

  /** Fails with every broken rule of the instrumentation's advice listed. */
  public static void check(TypeInstrumentation instrumentation) {
    List<String> violations = violations(instrumentation);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          instrumentation.getClass().getName()
              + " breaks the advice rules:\n  "
              + String.join("\n  ", violations));
    }
  }

  public static List<String> violations(TypeInstrumentation instrumentation) {
    Class<?> outer = instrumentation.getClass();
    ClassLoader loader = outer.getClassLoader();
    String outerName = Type.getInternalName(outer);
    List<String> violations = new ArrayList<>();

    Map<String, Integer> nested = nestedClasses(loader, outerName);
    Map<String, AdviceClass> advice = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> entry : nested.entrySet()) {
      AdviceClass scanned = scan(loader, entry.getKey(), outerName);
      if (scanned.hasAdvice) {
        advice.put(entry.getKey().replace('/', '.'), scanned);
        int access = entry.getValue();
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & Opcodes.ACC_STATIC) == 0) {
          violations.add(scanned.name + ": not a public static nested class");
        }
        violations.addAll(scanned.violations);
      }
    }

    List<String> applied = new ArrayList<>();
    instrumentation.transform((methods, adviceClassName) -> applied.add(adviceClassName));
    if (applied.isEmpty()) {
      violations.add(outer.getName() + ": applies no advice");
    }
    for (String name : applied) {
      if (!advice.containsKey(name)) {
        violations.add(name + ": applied by name but not a nested advice class of " + outerName);
      }
    }
    return violations;
  }

  /** Nested classes from the outer class's InnerClasses attribute, with their declared access. */
  private static Map<String, Integer> nestedClasses(ClassLoader loader, String outerName) {
    Map<String, Integer> nested = new LinkedHashMap<>();
    read(loader, outerName)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visitInnerClass(
                  String name, String outerClass, String innerName, int access) {
                if (outerName.equals(outerClass)) {
                  nested.put(name, access);
                }
              }
            },
            ClassReader.SKIP_CODE);
    return nested;
  }

  private static AdviceClass scan(ClassLoader loader, String internalName, String outerName) {
    AdviceClass advice = new AdviceClass(internalName.replace('/', '.'), outerName);
    read(loader, internalName).accept(advice, 0);
    advice.finish();
    return advice;
  }

  private static ClassReader read(ClassLoader loader, String internalName) {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        throw new IllegalStateException(internalName + ".class not found");
      }
      return new ClassReader(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class AdviceClass extends ClassVisitor {
    final String name;
    final String outerDescriptor;
    final String outerName;
    final List<String> violations = new ArrayList<>();
    boolean hasAdvice;
    boolean enterReturnsOperation;
    final List<String> exitsWithoutOnThrowable = new ArrayList<>();

    AdviceClass(String name, String outerName) {
      super(Opcodes.ASM9);
      this.name = name;
      this.outerName = outerName;
      this.outerDescriptor = "L" + outerName + ";";
    }

    @Override
    public FieldVisitor visitField(
        int access, String field, String descriptor, String signature, Object value) {
      violations.add(name + ": has field " + field);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String method, String descriptor, String signature, String[] exceptions) {
      String where = name + "." + method;
      if (!ADVICE_METHODS.contains(method)) {
        violations.add(where + ": only onEnter and onExit may be declared");
      }
      if (descriptor.contains(outerDescriptor)) {
        violations.add(where + ": refers to the outer class in its signature");
      }
      boolean returnsOperation = Type.getReturnType(descriptor).getDescriptor().equals(OPERATION);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          boolean enter = annotation.equals(ENTER);
          if (!enter && !annotation.equals(EXIT)) {
            return null;
          }
          hasAdvice = true;
          if (enter && returnsOperation) {
            enterReturnsOperation = true;
          }
          Map<String, Object> values = new LinkedHashMap<>();
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String key, Object value) {
              values.put(key, value);
            }

            @Override
            public void visitEnd() {
              if (!isThrowable(values.get("suppress"))) {
                violations.add(where + ": needs suppress = Throwable.class");
              }
              if (!enter && !isThrowable(values.get("onThrowable"))) {
                exitsWithoutOnThrowable.add(where);
              }
            }
          };
        }

        @Override
        public void visitInvokeDynamicInsn(
            String insn, String descriptor, Handle bootstrap, Object... arguments) {
          violations.add(
              where
                  + ": invokedynamic ("
                  + bootstrap.getOwner()
                  + "."
                  + bootstrap.getName()
                  + "): no lambdas, method references or string concatenation");
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
          violations.add(where + ": try/catch; suppress = Throwable.class already guards it");
        }

        @Override
        public void visitMethodInsn(
            int opcode, String owner, String method, String descriptor, boolean isInterface) {
          checkOwner(owner, descriptor);
          if (opcode == Opcodes.INVOKESTATIC
              && method.equals("of")
              && IMMUTABLE_COLLECTIONS.contains(owner)) {
            violations.add(where + ": calls " + owner + ".of, which old class files cannot link");
          }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String field, String descriptor) {
          checkOwner(owner, descriptor);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
          checkOwner(type, "");
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof Type type && type.getInternalName().equals(outerName)) {
            violations.add(where + ": refers to the outer class");
          }
        }

        private void checkOwner(String owner, String descriptor) {
          if (owner.equals(outerName) || descriptor.contains(outerDescriptor)) {
            violations.add(where + ": refers to the outer class");
          }
        }
      };
    }

    void finish() {
      if (enterReturnsOperation) {
        for (String exit : exitsWithoutOnThrowable) {
          violations.add(
              exit
                  + ": ends the operation its enter started, so needs onThrowable = Throwable.class");
        }
      }
    }

    private static boolean isThrowable(Object value) {
      return value instanceof Type type && type.getDescriptor().equals(THROWABLE);
    }
  }
}
