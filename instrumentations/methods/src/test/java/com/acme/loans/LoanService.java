package com.acme.loans;

import java.util.concurrent.CompletableFuture;

/** A business service as an application would have it: nothing in it knows about tracing. */
public class LoanService {
  private final Scoring scoring = new Scoring();

  public String approve(String applicant) {
    return scoring.score(applicant) > 50 ? "approved " + applicant : "declined " + applicant;
  }

  public void reject(String applicant) {
    throw new IllegalStateException("cannot reject " + applicant);
  }

  public String audit(String applicant) {
    return "audited " + applicant;
  }

  public CompletableFuture<String> approveLater(String applicant) {
    return CompletableFuture.completedFuture(approve(applicant));
  }
}
