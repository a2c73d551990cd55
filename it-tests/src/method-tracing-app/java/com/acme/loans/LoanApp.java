package com.acme.loans;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * A loan service with no tracing code of its own: MethodTracingIT lists {@link LoanService}'s
 * methods in {@code -Dotel.instrumentation.methods.include}, and {@link Scoring} carries
 * OpenTelemetry's {@code @WithSpan}. Argument: the port.
 */
public final class LoanApp {
  private LoanApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    File baseDir = Files.createTempDirectory("loan-app").toFile();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.getAbsolutePath());
    tomcat.setPort(port);
    tomcat.getConnector();
    Context context = tomcat.addContext("", baseDir.getAbsolutePath());
    Tomcat.addServlet(context, "loans", new LoanServlet(new LoanService()));
    context.addServletMapping("/loans", "loans");
    tomcat.start();
    System.out.println("loan app listening on port " + port);
    tomcat.getServer().await();
  }

  private static final class LoanServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient LoanService loans;

    LoanServlet(LoanService loans) {
      this.loans = loans;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String applicant = request.getParameter("applicant");
      response.setContentType("text/plain");
      try {
        response.getWriter().write(loans.decide(applicant) + "\n");
      } catch (IllegalArgumentException e) {
        response.setStatus(422);
        response.getWriter().write("rejected: " + e.getMessage() + "\n");
      }
    }
  }
}
