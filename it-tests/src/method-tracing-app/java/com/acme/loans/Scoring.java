package com.acme.loans;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Written for OpenTelemetry: its annotations, and a query to the machine's PostgreSQL. */
public class Scoring {

  @WithSpan("score applicant")
  public int score(@SpanAttribute("loan.applicant") String applicant, @SpanAttribute int attempt) {
    try (Connection connection =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 42")) {
      result.next();
      return result.getInt(1) - applicant.length();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
