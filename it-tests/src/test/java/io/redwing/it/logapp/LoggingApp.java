package io.redwing.it.logapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.logging.log4j.LogManager;

/**
 * A Tomcat application that logs through real Logback (via SLF4J) and real Log4j2, for LogsIT, and
 * through {@code java.util.logging} ({@code lib=jul}), bridged into Logback by jul-to-slf4j when
 * started with {@code -Dlogapp.julBridge=true}. {@code GET /log?lib=logback|log4j2|jul} logs a
 * DEBUG and an INFO, a WARN, then an ERROR with an exception and a secret in its message, and
 * answers 200; {@code /fail} logs the ERROR and throws that same exception; {@code /background}
 * logs the ERROR on a plain new thread, outside any request.
 */
public final class LoggingApp {
  private LoggingApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    if (Boolean.getBoolean("logapp.julBridge")) {
      // added next to the handlers already on the root logger, the agent's among them
      org.slf4j.bridge.SLF4JBridgeHandler.install();
    }
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(args[1]);
    tomcat.setPort(port);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "logging", new LoggingServlet());
    context.addServletMappingDecoded("/log", "logging");
    context.addServletMappingDecoded("/fail", "logging");
    context.addServletMappingDecoded("/background", "logging");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("logging app listening on port " + port);
    tomcat.getServer().await();
  }

  /** One logger per library, so that a test can tell where a record came from. */
  static void info(String lib, String debug, String info) {
    if (lib.equals("jul")) {
      java.util.logging.Logger.getLogger("app.jul.Orders").fine(debug);
      java.util.logging.Logger.getLogger("app.jul.Orders").info(info);
    } else if (lib.equals("log4j2")) {
      LogManager.getLogger("app.log4j2.Orders").debug(debug);
      LogManager.getLogger("app.log4j2.Orders").info(info);
    } else {
      org.slf4j.LoggerFactory.getLogger("app.logback.Orders").debug(debug);
      org.slf4j.LoggerFactory.getLogger("app.logback.Orders").info(info);
    }
  }

  static void warn(String lib, String message) {
    if (lib.equals("jul")) {
      java.util.logging.Logger.getLogger("app.jul.Orders").warning(message);
    } else if (lib.equals("log4j2")) {
      LogManager.getLogger("app.log4j2.Orders").warn(message);
    } else {
      org.slf4j.LoggerFactory.getLogger("app.logback.Orders").warn(message);
    }
  }

  static void error(String lib, String message, Throwable error) {
    if (lib.equals("jul")) {
      java.util.logging.Logger.getLogger("app.jul.Orders")
          .log(java.util.logging.Level.SEVERE, message, error);
    } else if (lib.equals("log4j2")) {
      LogManager.getLogger("app.log4j2.Orders").error(message, error);
    } else {
      org.slf4j.LoggerFactory.getLogger("app.logback.Orders").error(message, error);
    }
  }

  /**
   * Each case throws from its own line: the agent sends an error identical to a recent one (same
   * class and throw site) only once a minute, and these are different errors.
   */
  static IllegalStateException failure(String lib, String path, String what) {
    String message = lib + " " + what + " failure";
    switch (lib + path + ("sentinel".equals(what) ? " sentinel" : "")) {
      case "logback/log":
        return new IllegalStateException(message);
      case "log4j2/log":
        return new IllegalStateException(message);
      case "jul/log":
        return new IllegalStateException(message);
      case "logback/fail":
        return new IllegalStateException(message);
      case "log4j2/fail":
        return new IllegalStateException(message);
      case "logback/background":
        return new IllegalStateException(message);
      case "log4j2/background":
        return new IllegalStateException(message);
      default:
        return new IllegalStateException(message);
    }
  }

  static final class LoggingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String lib = request.getParameter("lib");
      String what = request.getParameter("what");
      IllegalStateException failure = failure(lib, request.getServletPath(), what);
      switch (request.getServletPath()) {
        case "/log" -> {
          info(lib, lib + " cache miss for order 7 " + what, lib + " order 7 placed " + what);
          warn(lib, lib + " stock is low for order 7");
          error(lib, lib + " payment failed for password=hunter2 " + what, failure);
        }
        case "/fail" -> {
          error(lib, lib + " payment failed, giving up " + what, failure);
          throw failure;
        }
        default -> {
          Thread worker =
              new Thread(() -> error(lib, lib + " nightly job failed " + what, failure));
          worker.start();
          try {
            worker.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      response.setContentType("text/plain");
      response.getWriter().write("logged\n");
    }
  }
}
