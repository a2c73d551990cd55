package com.acme.loans;

/** Business code the configuration traces; nothing here knows about OpenTelemetry. */
public class LoanService {
  private final Scoring scoring = new Scoring();

  public String decide(String applicant) {
    if (applicant == null || applicant.isBlank()) {
      throw new IllegalArgumentException("no applicant");
    }
    return scoring.score(applicant, 1) >= 0 ? "approved " + applicant : "declined " + applicant;
  }
}
