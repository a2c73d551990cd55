package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InboundPropagationTest {
  /** The one method of an HttpServletRequest that is read, by the same name. */
  public interface HeaderApi {
    String getHeader(String name);
  }

  /** Not public, as a container's own request classes may not be: the interface's method is. */
  static final class Request implements HeaderApi {
    private final Map<String, String> headers;

    Request(Map<String, String> headers) {
      this.headers = headers;
    }

    @Override
    public String getHeader(String name) {
      return headers.get(name);
    }
  }

  @AfterEach
  void reset() {
    Operations.inboundPropagationFields(null);
  }

  @Test
  void readsNothingUnlessAPropagatorAskedForOtherHeaders() {
    Request request =
        new Request(Map.of("b3", "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312"));

    assertThat(Operations.inboundPropagation(request, HeaderApi.class)).isNull();
  }

  @Test
  void readsTheConfiguredHeadersTheRequestCarries() {
    Operations.inboundPropagationFields(new String[] {"X-B3-TraceId", "X-B3-Sampled"});
    Request request = new Request(Map.of("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"));

    assertThat(Operations.inboundPropagation(request, HeaderApi.class))
        .containsExactly("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", null, null);
    assertThat(Operations.inboundPropagation(new Request(Map.of()), HeaderApi.class)).isNull();
    assertThat(Operations.inboundPropagation("not a request", HeaderApi.class)).isNull();
  }

  @Test
  void aDetachedAgentLeavesNothingToRead() {
    Operations.inboundPropagationFields(new String[] {"b3"});
    Operations.uninstall();

    assertThat(
            Operations.inboundPropagation(
                new Request(Map.of("b3", "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312")),
                HeaderApi.class))
        .isNull();
  }
}
