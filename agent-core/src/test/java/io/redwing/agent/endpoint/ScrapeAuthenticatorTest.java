package io.redwing.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScrapeAuthenticatorTest {
  private final ScrapeAuthenticator authenticator =
      new ScrapeAuthenticator("prometheus", "pa:ss wörd", true);

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theRightUserAndPasswordAreAuthorized() {
    assertThat(authenticator.authorizedUser(basic("prometheus:pa:ss wörd")))
        .isEqualTo("prometheus");
  }

  @Test
  void theSchemeIsCaseInsensitiveAsRfc7617Says() {
    assertThat(authenticator.authorizedUser("bAsIc " + basic("prometheus:pa:ss wörd").substring(6)))
        .isEqualTo("prometheus");
  }

  @Test
  void aWrongPasswordUserOrPrefixOfEitherIsRefused() {
    assertThat(authenticator.authorizedUser(basic("prometheus:pa:ss"))).isNull();
    assertThat(authenticator.authorizedUser(basic("prometheus:pa:ss wörd!"))).isNull();
    assertThat(authenticator.authorizedUser(basic("promethe:pa:ss wörd"))).isNull();
    assertThat(authenticator.authorizedUser(basic("prometheus:"))).isNull();
    assertThat(authenticator.authorizedUser(basic(":pa:ss wörd"))).isNull();
  }

  @Test
  void malformedHeadersAreRefusedWithoutThrowing() {
    assertThat(authenticator.authorizedUser(null)).isNull();
    assertThat(authenticator.authorizedUser("")).isNull();
    assertThat(authenticator.authorizedUser("Basic")).isNull();
    assertThat(authenticator.authorizedUser("Basic !!!not-base64!!!")).isNull();
    assertThat(authenticator.authorizedUser(basic("no colon at all"))).isNull();
    assertThat(authenticator.authorizedUser("Bearer " + basic("prometheus:pa:ss wörd"))).isNull();
  }
}
