package io.redwing.instrumentation.testing;

import java.time.Duration;
import java.util.List;

/**
 * The small servlet application every container test deploys, described without the servlet API so
 * that the javax and jakarta modules share one contract: each module writes the servlet and filter
 * classes that behave as described here.
 */
public final class TestApp {
  /** Servlets by mapping; every filter runs for every dispatch type, async supported everywhere. */
  public enum Endpoint {
    /** Exact mapping: status 200, body {@link #HELLO_BODY}. */
    HELLO("/hello"),
    /** Prefix mapping: status 200, body {@code item <path info>}. */
    ITEMS("/items/*"),
    /** Forwards to {@code /hello}. */
    FORWARD("/forward"),
    /** Writes {@code included:} then includes {@code /hello}. */
    INCLUDE("/include"),
    /** Starts async; another thread writes {@code async} and completes after {@link #DELAY}. */
    ASYNC("/async"),
    /** Starts async; another thread dispatches to {@code /hello} after {@link #DELAY}. */
    ASYNC_DISPATCH("/async-dispatch"),
    /** Throws an {@link IllegalStateException} with message {@link #FAILURE}. */
    THROWS("/throws"),
    /**
     * Writes {@link #DOWNLOAD_BYTES} in chunks of {@link #DOWNLOAD_CHUNK}, more than socket buffers
     * hold, so a client that leaves midway makes a write fail.
     */
    DOWNLOAD("/download"),
    /** The default servlet: no other mapping matched; sets status 404. */
    NOT_FOUND("/");

    public final String mapping;

    Endpoint(String mapping) {
      this.mapping = mapping;
    }

    /** The servlet's name in the container: the constant's name. */
    public String servletName() {
      return name();
    }
  }

  /**
   * Simple names of each module's servlet and filter classes, which live outside {@code
   * io.redwing.instrumentation} because the installer never transforms that package.
   */
  public static final String SERVLET_CLASS = "AppServlet";

  public static final String FILTER_CLASS = "AppFilter";

  /** Two filters mapped to {@code /*}, in this order. */
  public static final List<String> FILTERS = List.of("outer-filter", "inner-filter");

  public static final String HELLO_BODY = "hello";
  public static final String FAILURE = "boom";
  public static final int DOWNLOAD_CHUNK = 64 * 1024;
  public static final int DOWNLOAD_BYTES = 1024 * DOWNLOAD_CHUNK;
  public static final Duration DELAY = Duration.ofMillis(300);

  /**
   * When a request carries this header, the first filter copies its value into {@link
   * #FRAMEWORK_ROUTE_ATTRIBUTE}, as Spring MVC does once a handler matched.
   */
  public static final String ROUTE_HEADER = "X-Test-Framework-Route";

  public static final String FRAMEWORK_ROUTE_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private TestApp() {}
}
