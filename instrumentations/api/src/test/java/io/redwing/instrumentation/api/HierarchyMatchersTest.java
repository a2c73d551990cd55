package io.redwing.instrumentation.api;

import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class HierarchyMatchersTest {
  private final ClassFileLocator locator = ClassFileLocator.ForClassLoader.ofSystemLoader();
  private final ClassLoader loader = ClassLoader.getSystemClassLoader();

  @Test
  void answersAsTheDescriptionDoesForClassesBeingLoaded() {
    Class<?>[] types = {
      ArrayList.class, AbstractList.class, List.class, String.class, Thread.class
    };
    String[][] superTypes = {
      {Collection.class.getName()},
      {RandomAccess.class.getName()},
      {Serializable.class.getName(), Runnable.class.getName()},
      {List.class.getName()},
      {ArrayList.class.getName()}
    };
    TypePoolCache pools = new TypePoolCache();
    for (Class<?> type : types) {
      TypeDescription beingLoaded =
          pools.typePool(locator, loader, type.getName()).describe(type.getName()).resolve();
      assertThat(beingLoaded).isInstanceOf(TransformedType.class);
      for (String[] names : superTypes) {
        assertThat(isClassImplementing(names).matches(beingLoaded))
            .as("%s implements one of %s", type.getName(), String.join(", ", names))
            .isEqualTo(isClassImplementing(names).matches(TypeDescription.ForLoadedType.of(type)))
            .isEqualTo(!type.isInterface() && implementsOneOf(type, names));
      }
    }
  }

  @Test
  void readsOnlyHeadersNeverTheDescription() {
    ElementMatcher<TypeDescription> collections = isClassImplementing(Collection.class.getName());

    assertThat(collections.matches(unparseable(ArrayList.class))).isTrue();
    assertThat(collections.matches(unparseable(List.class))).isFalse();
    assertThat(collections.matches(unparseable(String.class))).isFalse();
  }

  @Test
  void skipsSuperTypesItCannotLocate() {
    ClassFileLocator onlyTheClass = new Renaming(ArrayList.class.getName(), "");
    TypeDescription type =
        new TransformedType(ArrayList.class.getName(), null, onlyTheClass, new ClassHeaders());

    // its own interfaces are in its header; Collection only in those of its super types
    assertThat(isClassImplementing(List.class.getName()).matches(type)).isTrue();
    assertThat(isClassImplementing(Collection.class.getName()).matches(type)).isFalse();
  }

  @Test
  void readsTheJdksClassFilesOnlyWhenAJdkTypeIsWanted() {
    List<String> located = new ArrayList<>();
    ClassFileLocator recording =
        new ClassFileLocator() {
          @Override
          public Resolution locate(String name) throws IOException {
            located.add(name);
            return locator.locate(name);
          }

          @Override
          public void close() {}
        };
    String name = ArrayListOfOwnName.class.getName();

    assertThat(
            isClassImplementing("jakarta.servlet.Servlet")
                .matches(new TransformedType(name, null, recording, new ClassHeaders())))
        .isFalse();
    assertThat(located).containsExactly(name);
    assertThat(
            isClassImplementing(Collection.class.getName())
                .matches(new TransformedType(name, null, recording, new ClassHeaders())))
        .isTrue();
    assertThat(located).contains(ArrayList.class.getName(), AbstractList.class.getName());
  }

  @SuppressWarnings("serial")
  static final class ArrayListOfOwnName extends ArrayList<String> {}

  @Test
  void asksTheDescriptionWhenTheClassFileCannotBeRead() {
    TypeDescription type =
        new TransformedType(
            "not.Located",
            TypeDescription.ForLoadedType.of(ArrayList.class),
            ClassFileLocator.NoOp.INSTANCE,
            new ClassHeaders());

    assertThat(isClassImplementing(Collection.class.getName()).matches(type)).isTrue();
  }

  @Test
  void keepsAtMostItsBoundOfHeadersPerLoader() {
    ClassHeaders headers = new ClassHeaders();
    ClassFileLocator everyNameIsAnObject = new Renaming(null, Object.class.getName());

    for (int i = 0; i < 2 * ClassHeaders.MAX_HEADERS_PER_LOADER + 1; i++) {
      headers.isClassImplementing("type" + i, everyNameIsAnObject, Set.of("x"));
      assertThat(headers.size()).isLessThanOrEqualTo(ClassHeaders.MAX_HEADERS_PER_LOADER);
    }
    assertThat(headers.size()).isPositive();
  }

  private TypeDescription unparseable(Class<?> type) {
    TypeDescription throwing =
        new TypeDescription.AbstractBase.OfSimpleType.WithDelegation() {
          @Override
          public String getName() {
            return type.getName();
          }

          @Override
          protected TypeDescription delegate() {
            throw new AssertionError("parsed " + type.getName());
          }
        };
    assertThatThrownBy(throwing::getModifiers).isInstanceOf(AssertionError.class);
    return new TransformedType(type.getName(), throwing, locator, new ClassHeaders());
  }

  /** Finds {@code only} (every name when null) as the class {@code as} (itself when empty). */
  private final class Renaming implements ClassFileLocator {
    private final String only;
    private final String as;

    Renaming(String only, String as) {
      this.only = only;
      this.as = as;
    }

    @Override
    public Resolution locate(String name) throws IOException {
      if (only != null && !only.equals(name)) {
        return new Resolution.Illegal(name);
      }
      return locator.locate(as.isEmpty() ? name : as);
    }

    @Override
    public void close() {}
  }

  private static boolean implementsOneOf(Class<?> type, String[] names) {
    for (String name : names) {
      try {
        if (Class.forName(name).isAssignableFrom(type)) {
          return true;
        }
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return false;
  }
}
