package com.acme.loans;

/** Business code the configuration traces; nothing here knows about OpenTelemetry. */
public class LoanService {
  private final Scoring scoring = new Scoring();

  public String decide(String applicant) {
    if (applicant == null || applicant.isBlank()) {
      throw new IllegalArgumentException("no applicant");
    }
    return verdict(scoring.score(applicant, 1), applicant);
  }

  /** A second method for MethodTracingIT to switch tracing to while the app runs. */
  public String verdict(int score, String applicant) {
    return score >= 0 ? "approved " + applicant : "declined " + applicant;
  }
}
