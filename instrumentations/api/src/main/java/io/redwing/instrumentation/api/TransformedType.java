package io.redwing.instrumentation.api;

import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * The description of a class being loaded, as the pool made it, that can also answer hierarchy
 * questions from class-file headers ({@link HierarchyMatchers}) without being parsed.
 */
final class TransformedType extends TypeDescription.AbstractBase.OfSimpleType.WithDelegation {
  private final String name;
  private final TypeDescription described;
  private final ClassFileLocator locator;
  private final ClassHeaders headers;

  TransformedType(
      String name, TypeDescription described, ClassFileLocator locator, ClassHeaders headers) {
    this.name = name;
    this.described = described;
    this.locator = locator;
    this.headers = headers;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  protected TypeDescription delegate() {
    return described;
  }

  /** Null when the headers cannot tell: the caller asks the description instead. */
  Boolean isClassImplementing(Set<String> superTypes) {
    return headers.isClassImplementing(name, locator, superTypes);
  }
}
