package io.redwing.bench;

import io.redwing.bootstrap.HttpServerRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The facts the servlet advice reads for one request, as the benchmarks start it. */
final class BenchRequests {
  private BenchRequests() {}

  static HttpServerRequest owner() {
    return owner(null);
  }

  /** The same, with the other propagation headers the advice read ({@code null}: none). */
  static HttpServerRequest owner(String[] propagation) {
    return new HttpServerRequest(
        "servlet-jakarta",
        "GET",
        "http",
        "localhost",
        8080,
        "/owners/42",
        "page=2",
        "127.0.0.1",
        "curl/8.0",
        null,
        null,
        null,
        null,
        propagation);
  }

  /** The two methods of an HttpServletRequest the error path reads, under the same names. */
  public interface HeaderApi {
    Enumeration<String> getHeaderNames();

    Enumeration<String> getHeaders(String name);
  }

  /** A browser's request: the headers the error path reads when it fails. */
  static final class BrowserRequest implements HeaderApi {
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    BrowserRequest() {
      headers.put("Host", List.of("localhost:8080"));
      headers.put("User-Agent", List.of("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"));
      headers.put("Accept", List.of("text/html,application/xhtml+xml,*/*;q=0.8"));
      headers.put("Accept-Language", List.of("de", "en;q=0.5"));
      headers.put("Accept-Encoding", List.of("gzip, deflate, br"));
      headers.put("Connection", List.of("keep-alive"));
      headers.put("Cookie", List.of("JSESSIONID=77aa"));
      headers.put(
          "traceparent", List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
      headers.put("X-Request-ID", List.of("req-1"));
      headers.put("Referer", List.of("http://localhost:8080/owners"));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(headers.getOrDefault(name, List.of()));
    }
  }
}
