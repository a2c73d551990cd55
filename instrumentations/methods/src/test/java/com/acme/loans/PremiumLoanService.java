package com.acme.loans;

/** A subclass of a listed class: OpenTelemetry traces the named class only, so is this one. */
public class PremiumLoanService extends LoanService {
  @Override
  public String audit(String applicant) {
    return "premium " + super.audit(applicant);
  }

  public String upgrade(String applicant) {
    return "upgraded " + applicant;
  }
}
