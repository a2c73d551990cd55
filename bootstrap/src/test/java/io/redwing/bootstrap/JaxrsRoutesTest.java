package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JaxrsRoutesTest {

  @Test
  void joinsTheBasePathAndTheTemplatesOutermostFirst() throws Exception {
    assertThat(JaxrsRoutes.resolve("/api/", List.of("/{id}", "/items")))
        .isEqualTo("/api/items/{id}");
  }

  @Test
  void neverMakesADoubleOrTrailingSlash() throws Exception {
    assertThat(JaxrsRoutes.resolve("/ctx//api/", List.of("/", "items/", "/")))
        .isEqualTo("/ctx/api/items");
  }

  @Test
  void keepsOnlyTheNameOfAVariableWithARegex() throws Exception {
    assertThat(JaxrsRoutes.resolve("/", List.of("/{ id : [0-9]{1,3} }/{name:[a-z]+}.{ext}")))
        .isEqualTo("/{id}/{name}.{ext}");
  }

  @Test
  void keepsARegexSlashInsideItsVariable() throws Exception {
    assertThat(JaxrsRoutes.resolve("/files/", List.of("/{path: .+/.+}/raw")))
        .isEqualTo("/files/{path}/raw");
  }

  @Test
  void givesTheRootWhenNothingButSlashesMatched() throws Exception {
    assertThat(JaxrsRoutes.resolve("/", List.of("/"))).isEqualTo("/");
    assertThat(JaxrsRoutes.resolve(null, Arrays.asList(null, ""))).isEqualTo("/");
  }

  @Test
  void readsTheTemplateOfATemplateObjectNotItsToString() throws Exception {
    assertThat(JaxrsRoutes.resolve("/api", List.of(new Template("/items/{id: \\d+}"))))
        .isEqualTo("/api/items/{id}");
  }

  public static final class Template {
    private final String template;

    Template(String template) {
      this.template = template;
    }

    public String getTemplate() {
      return template;
    }

    @Override
    public String toString() {
      return "/items/(\\d+)";
    }
  }
}
