package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScrubberTest {
  private final Scrubber scrubber = new Scrubber(List.of("pin"), List.of("x-tenant-secret-id"));

  /**
   * A password may hold '/' and '@' unescaped (generated ones often do, base64's '/' among them):
   * the last '@' of the URL's word ends it, as URL parsers read it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          connecting to jdbc:postgresql://app:Zq/9+Kx@db1/shop failed | connecting to jdbc:postgresql://[Filtered]@db1/shop failed
          GET https://bob:p@ss@w0rd@api.example.com/v1 and then       | GET https://[Filtered]@api.example.com/v1 and then
          redis://:S3cret/x@cache:6379/0 down                         | redis://[Filtered]@cache:6379/0 down
          see http://host:8080/docs and mail bob                      | see http://host:8080/docs and mail bob
          """)
  void aUrlsPasswordGoesWholeWhateverItHolds(String text, String scrubbed) {
    assertThat(scrubber.text(text)).isEqualTo(scrubbed);
  }

  @Test
  void freeTextLosesCredentialsTokensEmailsAndCardNumbers() {
    assertThat(scrubber.text("GET https://bob:hunter2@db.example.com/x failed"))
        .isEqualTo("GET https://[Filtered]@db.example.com/x failed");
    assertThat(scrubber.text("header was Bearer eyJhbGciOiJIUzI1NiJ9.abc"))
        .isEqualTo("header was Bearer [Filtered]");
    assertThat(scrubber.text("login failed for password=hunter2&user=bob"))
        .isEqualTo("login failed for password=[Filtered]&user=bob");
    assertThat(scrubber.text("{\"api_key\": \"k-123456\", \"n\": 1}"))
        .isEqualTo("{\"api_key\": \"[Filtered]\", \"n\": 1}");
    assertThat(scrubber.text("no user alice@example.org")).isEqualTo("no user [email]");
    assertThat(scrubber.text("charge 4111 1111 1111 1111 declined"))
        .isEqualTo("charge [card] declined");
    assertThat(scrubber.text("order 12345 not found")).isEqualTo("order 12345 not found");
  }

  @Test
  void aLongTokenIsScannedOnceNotOncePerCharacter() {
    // Patterns that could start at every position inside a run took about a second for 4 KB and
    // about a minute for this, which is just within the length scrubbed (BoundedText.MAX); the
    // bound only tells a linear scan from a quadratic one, with a wide margin.
    String jwtLike = "a.b-c_".repeat(2_000);
    String urlStarts = "a://b:".repeat(1_000);
    String text =
        "call failed: " + jwtLike + " password=hunter2 " + jwtLike + "@ " + urlStarts + "x";

    String scrubbed =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(20), () -> scrubber.text(text));

    assertThat(text.length()).isLessThan(BoundedText.MAX);
    assertThat(scrubbed).contains("password=[Filtered]").doesNotContain("hunter2");
    assertThat(scrubber.text("session_token=abc x.password=hunter2 me@example.com"))
        .isEqualTo("session_token=[Filtered] x.password=[Filtered] [email]");
  }

  @Test
  void aPrivateKeysBlockIsFilteredWholeAndSoIsOneCutOff() {
    String key =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7Mhg\n"
            + "s9fJzM1bHp1wV8w4GtqD2zPGv0eEk6oTzKHJXxBQ/uR1D+9w==\n-----END RSA PRIVATE KEY-----";
    assertThat(scrubber.text("cannot load the signing key " + key + " from /etc/app/key.pem"))
        .isEqualTo("cannot load the signing key [Filtered] from /etc/app/key.pem");
    assertThat(
            scrubber.text("config dump: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQ"))
        .isEqualTo("config dump: [Filtered]");
    assertThat(scrubber.text("-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgI\n"))
        .as("a certificate is public")
        .isEqualTo("-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgI\n");
  }

  @Test
  void aJsonWebTokenIsFilteredUnderAnyNameOrNone() {
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJhZG1pbiJ9"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assertThat(scrubber.text("jwt=" + jwt + " rejected: expired"))
        .isEqualTo("jwt=[Filtered] rejected: expired");
    assertThat(scrubber.text("could not refresh " + jwt + ", signing key rotated"))
        .isEqualTo("could not refresh [Filtered], signing key rotated");
    assertThat(scrubber.text("{\"refresh\": \"eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.\"}"))
        .as("an unsigned one")
        .isEqualTo("{\"refresh\": \"[Filtered]\"}");
    assertThat(scrubber.text("keyJson.eyJunk.x and ab.eyJhbGciOiJ9"))
        .as("not one: no token starts there, or only two parts")
        .isEqualTo("keyJson.eyJunk.x and ab.eyJhbGciOiJ9");
  }

  @Test
  void aQuotedValueIsFilteredToItsClosingQuoteSpacesAndAll() {
    assertThat(scrubber.text("{\"secret\": \"correct horse battery staple\", \"user\": \"bob\"}"))
        .isEqualTo("{\"secret\": \"[Filtered]\", \"user\": \"bob\"}");
    assertThat(scrubber.text("password = 'my \\'quoted\\' phrase' accepted"))
        .isEqualTo("password = '[Filtered]' accepted");
    assertThat(scrubber.text("token=\"left open\nnext line"))
        .isEqualTo("token=\"[Filtered]\nnext line");
  }

  @Test
  void quotedValuesAndTheRowsADatabaseQuotesAreFilteredToo() {
    assertThat(scrubber.text("password='hunter2' and {'api_key': 'k-123'}"))
        .isEqualTo("password='[Filtered]' and {'api_key': '[Filtered]'}");
    assertThat(scrubber.text("WHERE password = 'hunter2'")).doesNotContain("hunter2");
    assertThat(
            scrubber.text(
                "duplicate key value violates unique constraint \"users_pkey\"\n"
                    + "  Detail: Key (national_id)=(756.1234.5678.97) already exists."))
        .contains("Key (national_id)=([Filtered]) already exists")
        .doesNotContain("756.1234");
  }

  @Test
  void configuredKeysAndHeadersAddToTheDefaults() {
    assertThat(scrubber.text("pin=4321")).isEqualTo("pin=[Filtered]");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Basic Ym9iOmh1bnRlcjI=");
    headers.put("Cookie", "JSESSIONID=abc");
    headers.put("Set-Cookie", "sid=1");
    headers.put("X-Api-Key", "k");
    headers.put("X-Tenant-Secret-Id", "t");
    headers.put("User-Agent", "curl/8");
    assertThat(scrubber.headers(headers))
        .containsExactly(
            Map.entry("Authorization", Scrubber.FILTERED),
            Map.entry("Cookie", Scrubber.FILTERED),
            Map.entry("Set-Cookie", Scrubber.FILTERED),
            Map.entry("X-Api-Key", Scrubber.FILTERED),
            Map.entry("X-Tenant-Secret-Id", Scrubber.FILTERED),
            Map.entry("User-Agent", "curl/8"));
  }

  @Test
  void theBeforeSendHookScrubsEveryPartOfAnEvent() {
    SentryEvent event = new SentryEvent();
    Message message = new Message();
    message.setFormatted("token=abcdef for carol@example.com");
    event.setMessage(message);
    SentryException exception = new SentryException();
    exception.setValue("jdbc:postgresql://app:s3cret@db/x refused");
    event.setExceptions(List.of(exception));
    Request request = new Request();
    request.setUrl("http://u:p@localhost/login");
    request.setQueryString("password=hunter2&page=2");
    request.setCookies("JSESSIONID=abc");
    request.setHeaders(new LinkedHashMap<>(Map.of("Authorization", "Bearer abcdefgh")));
    request.setData("password=hunter2");
    event.setRequest(request);
    event.setTag("session_id", "s-1");
    event.setExtra("card_number", "4111111111111111");
    event.getContexts().put("redwing", Map.of("secret", "x", "note", "mail dave@example.com"));
    Breadcrumb crumb = new Breadcrumb();
    crumb.setMessage("POST https://svc/api?access_token=zzzzzz");
    crumb.setData("authorization", "Bearer q");
    event.setBreadcrumbs(List.of(crumb));

    scrubber.scrub(event);

    assertThat(event.getMessage().getFormatted()).isEqualTo("token=[Filtered] for [email]");
    assertThat(event.getExceptions().get(0).getValue())
        .isEqualTo("jdbc:postgresql://[Filtered]@db/x refused");
    assertThat(event.getRequest().getUrl()).isEqualTo("http://[Filtered]@localhost/login");
    assertThat(event.getRequest().getQueryString()).isEqualTo("password=[Filtered]&page=2");
    assertThat(event.getRequest().getCookies()).isNull();
    assertThat(event.getRequest().getData()).isNull();
    assertThat(event.getRequest().getHeaders())
        .containsExactly(Map.entry("Authorization", Scrubber.FILTERED));
    assertThat(event.getTags()).containsEntry("session_id", Scrubber.FILTERED);
    assertThat(event.getExtras()).containsEntry("card_number", Scrubber.FILTERED);
    assertThat(event.getContexts().get("redwing"))
        .isEqualTo(Map.of("secret", Scrubber.FILTERED, "note", "mail [email]"));
    assertThat(crumb.getMessage()).isEqualTo("POST https://svc/api?access_token=[Filtered]");
    assertThat(crumb.getData()).containsEntry("authorization", Scrubber.FILTERED);
  }

  /**
   * The name=value masking finds each name once and checks its words; it must mask exactly what the
   * single pattern it replaced masked (the keys as alternatives inside the name), on text built
   * from the pieces that decide: names with and without keys, dots, dashes, quotes, separators.
   * Stack frames' source positions, the one place they differ, are left out of the pieces.
   */
  @Test
  void masksTheSamePairsAsThePatternWithTheKeysAsAlternatives() {
    StringBuilder alternatives = new StringBuilder();
    for (String key : Scrubber.DEFAULT_KEYS) {
      alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(key));
    }
    alternatives.append("|pin");
    // a quoted value (group 2 or 3) runs to its closing quote, past escapes, within its line
    Pattern replaced =
        Pattern.compile(
            "(?i)(?<![\\w.-])([\\w.-]*(?:"
                + alternatives
                + ")[\\w.-]*[\"']?\\s*[=:]\\s*)(?:\"((?:[^\"\\\\\n\r]|\\\\.)*)"
                + "|'((?:[^'\\\\\n\r]|\\\\.)*)|([^\\s&,;\"']+))");
    String[] pieces = {
      "\\",
      "Password",
      "token",
      "db.url",
      "x",
      "PIN",
      "session-id",
      "at",
      "io.app.Auth",
      "=",
      ":",
      " ",
      "\"",
      "'",
      ".",
      "-",
      "&",
      ",",
      ";",
      "42",
      "v/a@l",
      "txt:12",
      "(",
      ")",
      "\n\t"
    };
    Random random = new Random(20261207);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n >= 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String t = text.toString();
      Matcher m = replaced.matcher(t);
      StringBuilder expected = new StringBuilder();
      while (m.find()) {
        String quote = m.group(2) != null ? "\"" : m.group(3) != null ? "'" : "";
        String value =
            m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
        m.appendReplacement(
            expected,
            Matcher.quoteReplacement(
                m.group(1) + quote + (value.isEmpty() ? "" : Scrubber.FILTERED)));
      }
      m.appendTail(expected);
      assertThat(scrubber.maskKeyValues(t)).as(t).isEqualTo(expected.toString());
    }
  }

  @Test
  void aStackFramesLineStaysThoughItsFileNameHoldsAKey() {
    String trace =
        "java.lang.IllegalStateException: token=abc\n"
            + "\tat org.hibernate.internal.SessionImpl.list(SessionImpl.java:1000)\n"
            + "\tat app.AuthFilter.doFilter(AuthFilter.kt:77)\n"
            + "\tat app.Tokens.parse(Tokens.java)\n"
            + "\tat app.Login.check(session.id:42) at (pwd.java:99x)";

    assertThat(scrubber.text(trace))
        .isEqualTo(
            "java.lang.IllegalStateException: token=[Filtered]\n"
                + "\tat org.hibernate.internal.SessionImpl.list(SessionImpl.java:1000)\n"
                + "\tat app.AuthFilter.doFilter(AuthFilter.kt:77)\n"
                + "\tat app.Tokens.parse(Tokens.java)\n"
                + "\tat app.Login.check(session.id:[Filtered] at (pwd.java:[Filtered]");
  }
}
