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
  void aQueryNamingNothingSensitiveIsReturnedAsItIsEvenWhenANameContainsAShortOne() {
    String query = "page=2&monkey=a&zipcode=b&design=c&passwords&sort=name";
    assertThat(redactor.redact(query)).isSameAs(query);
  }

  @Test
  void namesContainingAWordOnlySecretsUseAreRedactedToo() {
    assertThat(
            redactor.redact(
                "X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA&X-Amz-Security-Token=t"
                    + "&X-Amz-Signature=deadbeef&refresh_token=r&user%5Bpassword%5D=p&q=cats"))
        .isEqualTo(
            "X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED"
                + "&X-Amz-Signature=REDACTED&refresh_token=REDACTED&user%5Bpassword%5D=REDACTED"
                + "&q=cats");
  }

  @Test
  void privateKeysAndSessionIdsAreRedactedAsSentryEventsRedactThem() {
    assertThat(redactor.redact("private_key=pk&PrivateKey=pk2&jsessionid=s&user_session_id=u&n=1"))
        .isEqualTo(
            "private_key=REDACTED&PrivateKey=REDACTED&jsessionid=REDACTED"
                + "&user_session_id=REDACTED&n=1");
  }

  @Test
  void aValueThatIsAURLOrQueryNamingASensitiveParameterIsRedactedWhole() {
    // a page to return to after a login, and a redirect target: encoded once, twice, or not at all
    assertThat(redactor.redact("next=%2Freset%3Ftoken%3Dabc&x=1")).isEqualTo("next=REDACTED&x=1");
    assertThat(redactor.redact("to=/hello%253Fa%253D1%2526password%253Dhunter2"))
        .isEqualTo("to=REDACTED");
    assertThat(redactor.redact("next=/reset?token=abc")).isEqualTo("next=REDACTED");
    assertThat(redactor.redact("r=https%3A%2F%2Fa.example%2Fcb%3Fstate%3Ds%26API_KEY%3Dk%23top"))
        .isEqualTo("r=REDACTED");
    // nested one level further: a link whose own target carries the token
    assertThat(redactor.redact("next=%2Flogin%3Fnext%3D%252Freset%253Ftoken%253Dabc"))
        .isEqualTo("next=REDACTED");
  }

  @Test
  void aValueWithAQueryNamingNothingSensitiveIsKept() {
    String query = "next=%2Forders%3Fpage%3D2&cursor=YWJj==&filter=status=open";
    assertThat(redactor.redact(query)).isEqualTo(query);
    assertThat(redactor.redact("token=t&next=%2Forders%3Fpage%3D2"))
        .isEqualTo("token=REDACTED&next=%2Forders%3Fpage%3D2");
  }

  @Test
  void namesThatOnlyDecodeOrLowerCaseToASensitiveOneAreStillRedacted() {
    assertThat(redactor.redact("a=1&pass%77ord=x")).isEqualTo("a=1&pass%77ord=REDACTED");
    assertThat(redactor.redact("PassWord=x&b=2")).isEqualTo("PassWord=REDACTED&b=2");
  }
}
