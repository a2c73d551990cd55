package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientUrlTest {

  /** Every part it gives is the one java.net.URI gives for the same string. */
  private static void assertSameAsUri(String url, ClientUrl parts) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new AssertionError("taken apart, but URI rejects " + url, e);
    }
    assertThat(parts.scheme).as(url).isEqualTo(uri.getScheme());
    assertThat(parts.host).as(url).isEqualTo(uri.getHost());
    assertThat(parts.port).as(url).isEqualTo(uri.getPort());
    assertThat(parts.rawPath).as(url).isEqualTo(uri.getRawPath());
    assertThat(parts.rawQuery).as(url).isEqualTo(uri.getRawQuery());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://svc/",
        "http://svc",
        "https://api.example.com:8443/v1/owners/42?token=t&page=2",
        "https://user:pw@api.example.com/v1/pay?token=t#frag",
        "http://user%40corp:p%2Fw@host.example:80/a%20b/c;p=1?q=%7E&r=&s#x?y",
        "HTTP://Svc.Example:80/",
        "http://10.0.0.1:9200/_search?q=a:b",
        "http://127.0.0.1",
        "http://svc-1.ns.svc.cluster.local:8080/x/y/z?",
        "h2c://host/p?a=1?b=2",
        "http://host/?",
        "http://host#only-fragment",
        "http://host/p#f?x=1",
        "http://host:0/",
        "http://host:99999/"
      })
  void takesTheCommonShapeApartAsUriDoes(String url) {
    ClientUrl parts = ClientUrl.parse(url);
    assertThat(parts).as(url).isNotNull();
    assertSameAsUri(url, parts);
  }

  /** URI would throw, or read the authority as a registry name with no host: URI decides. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://[::1]:8080/x",
        "http://user@[fe80::1]/",
        "http://my_service:8080/",
        "http://host:/",
        "http://host:8o/",
        "http://host:123456/",
        "http://a@b@host/",
        "http://-host/",
        "http://host-/",
        "http://a..b/",
        "http://example.com./",
        "http://api.1abc/",
        "http://256.1.1.1/",
        "http://1.2.3/",
        "http:///path",
        "http://host/a b",
        "http://host/ü",
        "http://host/a|b",
        "http://host/?q=[1]",
        "http://host/%zz",
        "http://host/%4",
        "http://ho%41st/",
        "//host:81/p",
        "/relative/path",
        "mailto:someone@example.com",
        "1http://host/",
        "http:host/path"
      })
  void leavesAnythingElseToUri(String url) {
    assertThat(ClientUrl.parse(url)).as(url).isNull();
  }

  /** The client span's origin is put together without a second parse: the same as from parts. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://svc/",
        "https://user:pw@api.example.com:8443/v1/pay?token=t",
        "http://[::1]:8080/x",
        "http://user@[fe80::1]/",
        "http://10.0.0.1",
        "HTTP://Svc.Example:80/",
        "//host:81/p"
      })
  void clientOriginIsTheOneBuiltFromItsParts(String url) throws Exception {
    URI uri = new URI(url);
    assertThat(ClientUrl.origin(uri))
        .isEqualTo(
            new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
                .toString())
        .doesNotContain("user")
        .doesNotContain("pw");
  }

  @Test
  void theOriginHasNoUserInfo() {
    assertThat(ClientUrl.parse("https://user:pw@api.example.com:8443/v1?x=1").origin)
        .isEqualTo("https://api.example.com:8443");
    assertThat(ClientUrl.parse("http://token@svc/").origin).isEqualTo("http://svc");
  }

  /**
   * Strings put together from pieces that URI treats differently (hosts it reads as registry names,
   * escapes, brackets, spaces, non-ASCII, ports out of range): whatever is taken apart must be
   * taken apart as URI does. Both outcomes must occur often, or the test proves little.
   */
  @Test
  void agreesWithUriOnGeneratedUrls() {
    String[] schemes = {"http", "https", "HTTP", "h2c", "a+b.c-d", "1x", "ht_tp", ""};
    String[] userInfos = {"", "", "user@", "user:pw@", "u%40x:p@", "a@b@", "us er@", "[x]@"};
    String[] hosts = {
      "svc",
      "api.example.com",
      "10.0.0.1",
      "256.0.0.1",
      "1.2.3",
      "a_b",
      "x-.y",
      "-x",
      "a..b",
      "ex.com.",
      "api.1abc",
      "[::1]",
      "h%41",
      "",
      "xn--bcher-kva.example",
      "A1.b2-c"
    };
    String[] ports = {"", "", ":80", ":8443", ":", ":8o", ":123456", ":0"};
    String alphabet = "abcXYZ019-._~!$&'()*+,;=:@/?#%[] |\"<>\\^`{}ü";
    String[] pieces = {"/", "/", "x", "7", "?", "=", "&", "%2F", "-", "/v1", "#f"};
    Random random = new Random(20261206);
    int taken = 0;
    int declined = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder url =
          new StringBuilder()
              .append(schemes[random.nextInt(schemes.length)])
              .append(random.nextInt(10) == 0 ? ":/" : "://")
              .append(userInfos[random.nextInt(userInfos.length)])
              .append(hosts[random.nextInt(hosts.length)])
              .append(ports[random.nextInt(ports.length)]);
      int rest = random.nextInt(10);
      for (int j = 0; j < rest; j++) {
        // mostly pieces of valid paths and queries, so that many strings stay valid
        url.append(
            random.nextInt(6) == 0
                ? String.valueOf(alphabet.charAt(random.nextInt(alphabet.length())))
                : pieces[random.nextInt(pieces.length)]);
      }
      String candidate = url.toString();
      ClientUrl parts = ClientUrl.parse(candidate);
      if (parts == null) {
        declined++;
      } else {
        taken++;
        assertSameAsUri(candidate, parts);
      }
    }
    assertThat(taken).isGreaterThan(5_000);
    assertThat(declined).isGreaterThan(5_000);
  }
}
