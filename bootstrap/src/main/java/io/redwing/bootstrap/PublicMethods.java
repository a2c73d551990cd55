package io.redwing.bootstrap;

import java.lang.reflect.Method;

/**
 * A public method looked up once per class that has it, for the few facts bootstrap reads from an
 * application's object whose type it cannot link against. The value is null where there is none.
 */
final class PublicMethods {
  private PublicMethods() {}

  static ClassValue<Method> named(String name, Class<?>... parameterTypes) {
    return new ClassValue<Method>() {
      @Override
      protected Method computeValue(Class<?> type) {
        try {
          return type.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
          return null;
        }
      }
    };
  }
}
