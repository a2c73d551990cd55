package io.redwing.instrumentation.api;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/** Class-loader gates: whether a library is visible, decided once per loader and cached. */
public final class ClassLoaderMatchers {
  private ClassLoaderMatchers() {}

  /** Matches loaders that can see every one of the named resources' classes. */
  public static ElementMatcher.Junction<ClassLoader> hasClassesNamed(String... classNames) {
    return new HasClasses(classNames);
  }

  private static final class HasClasses extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
    private final String[] resources;
    private final Map<ClassLoader, Boolean> cache = new WeakHashMap<>();

    HasClasses(String[] classNames) {
      resources = new String[classNames.length];
      for (int i = 0; i < classNames.length; i++) {
        resources[i] = classNames[i].replace('.', '/') + ".class";
      }
    }

    @Override
    public boolean matches(ClassLoader loader) {
      // The JDK's own loaders (null is the bootstrap loader) are asked through the platform one.
      ClassLoader asked = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
      synchronized (cache) {
        Boolean known = cache.get(asked);
        if (known != null) {
          return known;
        }
      }
      boolean found = lookUp(asked);
      synchronized (cache) {
        cache.put(asked, found);
      }
      return found;
    }

    // Resources, not Class.forName: looking must not load or initialise anything.
    private boolean lookUp(ClassLoader loader) {
      for (String resource : resources) {
        if (loader.getResource(resource) == null) {
          return false;
        }
      }
      return true;
    }
  }
}
