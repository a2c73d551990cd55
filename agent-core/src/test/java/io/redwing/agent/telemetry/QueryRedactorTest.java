package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryRedactorTest {
  private final QueryRedactor redactor = new QueryRedactor(Set.of("token", "api_key", "password"));

  @Test
  void sensitiveValuesAreRedactedWhateverTheCase() {
    assertThat(redactor.redact("a=1&TOKEN=abc&b=2&Api_Key=k&password="))
        .isEqualTo("a=1&TOKEN=REDACTED&b=2&Api_Key=REDACTED&password=REDACTED");
  }

  @Test
  void encodedNamesAreRecognised() {
    assertThat(redactor.redact("api%5Fkey=k")).isEqualTo("api%5Fkey=REDACTED");
  }

  @Test
  void otherShapesPassUnchanged() {
    assertThat(redactor.redact(null)).isNull();
    assertThat(redactor.redact("")).isEmpty();
    assertThat(redactor.redact("flag&&x=1&token")).isEqualTo("flag&&x=1&token");
  }

  @Test
  void aQueryNamingNothingSensitiveIsReturnedAsItIsEvenWhenANameContainsOne() {
    String query = "page=2&tokens=a&my_token=b&passwords&sort=name";
    assertThat(redactor.redact(query)).isSameAs(query);
  }

  @Test
  void namesThatOnlyDecodeOrLowerCaseToASensitiveOneAreStillRedacted() {
    assertThat(redactor.redact("a=1&pass%77ord=x")).isEqualTo("a=1&pass%77ord=REDACTED");
    assertThat(redactor.redact("PassWord=x&b=2")).isEqualTo("PassWord=REDACTED&b=2");
  }
}
