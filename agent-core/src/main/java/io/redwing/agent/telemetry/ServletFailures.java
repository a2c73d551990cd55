package io.redwing.agent.telemetry;

/**
 * The exception a servlet request really failed with. Frameworks wrap what a handler threw in a
 * {@code ServletException} (Spring MVC: "Request processing failed"), which as {@code error.type}
 * would put every failure of every route under one name.
 */
final class ServletFailures {
  private ServletFailures() {}

  static Throwable unwrap(Throwable thrown) {
    if (thrown == null || thrown.getCause() == null) {
      return thrown;
    }
    String name = thrown.getClass().getName();
    boolean wrapper =
        name.equals("jakarta.servlet.ServletException")
            || name.equals("javax.servlet.ServletException");
    return wrapper ? thrown.getCause() : thrown;
  }
}
