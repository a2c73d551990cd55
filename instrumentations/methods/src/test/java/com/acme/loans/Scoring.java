package com.acme.loans;

/** Every method of this class is listed with {@code [*]}. */
public class Scoring {
  public int score(String applicant) {
    return weight(applicant.length()) * 10;
  }

  private int weight(int length) {
    return length;
  }

  public static int maximum() {
    return 100;
  }
}
