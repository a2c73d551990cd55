package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServletHeadersTest {
  /** The two methods of an HttpServletRequest that are read, by the same names. */
  public interface HeaderApi {
    Enumeration<String> getHeaderNames();

    Enumeration<String> getHeaders(String name);
  }

  /** Not public, as a container's own request classes may not be: the interface's methods are. */
  static final class Request implements HeaderApi {
    final Map<String, List<String>> headers = new LinkedHashMap<>();

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(headers.get(name));
    }
  }

  private static final class Plain extends Operation {}

  @Test
  void readsEachHeaderWithItsValuesJoined() {
    Request request = new Request();
    request.headers.put("Host", List.of("shop"));
    request.headers.put("Accept-Language", List.of("de", "fr"));

    assertThat(ServletHeaders.read(request, HeaderApi.class))
        .containsExactly("Host", "shop", "Accept-Language", "de, fr");
  }

  @Test
  void keepsAtMostTheBoundOfHeadersEachCutToItsLength() {
    Request request = new Request();
    for (int i = 0; i < 100; i++) {
      request.headers.put("X-" + i, List.of("v" + i));
    }
    request.headers.put("X-0", List.of("a".repeat(5000), "b"));
    request.headers.put("N".repeat(500), List.of("x"));

    String[] pairs = ServletHeaders.read(request, HeaderApi.class);

    assertThat(pairs).hasSize(2 * ServletHeaders.MAX_HEADERS);
    assertThat(pairs[0]).isEqualTo("X-0");
    assertThat(pairs[1]).hasSize(ServletHeaders.MAX_VALUE).matches("a+");
    assertThat(pairs[pairs.length - 2]).isEqualTo("X-31");
  }

  @Test
  void readsNothingFromWhatIsNotTheNamedInterface() {
    assertThat(ServletHeaders.read("not a request", HeaderApi.class)).isNull();
    assertThat(ServletHeaders.read(new Request(), Runnable.class)).isNull();
    assertThat(ServletHeaders.read(null, HeaderApi.class)).isNull();
  }

  @Test
  void keepsTheHeadersOfAFailedRequestOnly() {
    Request request = new Request();
    request.headers.put("X-Tenant", List.of("acme"));
    Operation succeeded = new Plain();
    Operation threw = new Plain();
    Operation handled = new Plain();
    handled.frameworkError = new IllegalStateException();

    Operations.failedServletRequest(succeeded, request, HeaderApi.class, null);
    Operations.failedServletRequest(threw, request, HeaderApi.class, new IllegalStateException());
    Operations.failedServletRequest(handled, request, HeaderApi.class, null);

    assertThat(succeeded.failedRequestHeaders()).isNull();
    assertThat(threw.failedRequestHeaders()).containsExactly("X-Tenant", "acme");
    assertThat(handled.failedRequestHeaders()).containsExactly("X-Tenant", "acme");
  }
}
