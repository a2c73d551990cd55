package io.redwing.instrumentation.api;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Hierarchy matchers that stay cheap for the thousands of classes an application loads. */
public final class HierarchyMatchers {
  private HierarchyMatchers() {}

  /**
   * Classes, not interfaces, with one of the named types among their super types: {@code
   * not(isInterface()).and(hasSuperType(namedOneOf(typeNames)))}, decided from class-file headers
   * for a class being loaded, from its description for one already loaded.
   */
  public static ElementMatcher.Junction<TypeDescription> isClassImplementing(String... typeNames) {
    return new ClassImplementing(typeNames);
  }

  private static final class ClassImplementing
      extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
    private final Set<String> typeNames;
    private final ElementMatcher<TypeDescription> described;

    ClassImplementing(String[] typeNames) {
      this.typeNames = new HashSet<>(Arrays.asList(typeNames));
      this.described = not(isInterface()).and(hasSuperType(namedOneOf(typeNames)));
    }

    @Override
    public boolean matches(TypeDescription type) {
      if (type instanceof TransformedType) {
        Boolean fromHeaders = ((TransformedType) type).isClassImplementing(typeNames);
        if (fromHeaders != null) {
          return fromHeaders;
        }
      }
      return described.matches(type);
    }

    @Override
    public String toString() {
      return "isClassImplementing(" + typeNames + ")";
    }
  }
}
