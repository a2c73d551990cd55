package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Messages in the shapes Hibernate, JPA and Spring give them, through the default scrubbing. */
class QuotedStatementsTest {
  private static String scrub(String text) {
    return Scrubber.DEFAULTS.text(text);
  }

  @Test
  void aQueryThatDoesNotParseKeepsItsShapeNotItsValues() {
    // Hibernate 5's QuerySyntaxException, and 6's SemanticException wrapped by JPA
    assertThat(
            scrub(
                "unexpected token: where near line 1, column 52 [select o from Owner o where"
                    + " o.lastName = 'Davis' and o.age > 42 where]"))
        .as("the token Hibernate 5 echoes is a token: value pair, filtered as such")
        .isEqualTo(
            "unexpected token: [Filtered] near line 1, column 52 [select o from Owner o where"
                + " o.lastName = ? and o.age > ? where]");
    assertThat(
            scrub(
                "org.hibernate.query.SemanticException: Could not resolve attribute 'nme' of"
                    + " 'Owner' [from Owner where nme = 'Franklin' and city in ('Madison',"
                    + " 'Monona')]"))
        .isEqualTo(
            "org.hibernate.query.SemanticException: Could not resolve attribute 'nme' of"
                + " 'Owner' [from Owner where nme = ? and city in (?)]");
  }

  @Test
  void aValueWithAQuoteInItTakesTheRestOfTheMessageButNotTheFrames() {
    String trace =
        "java.lang.IllegalArgumentException: org.hibernate.query.SyntaxException: At 1:40 and"
            + " token 'Brien' [select o from Owner o where o.lastName = 'O'Brien' and o.pin ="
            + " 4711]\n"
            + "\tat org.hibernate.internal.AbstractSharedSessionContract.createQuery"
            + "(AbstractSharedSessionContract.java:781)\n";

    String scrubbed = scrub(trace);

    assertThat(scrubbed)
        .doesNotContain("4711")
        .contains("[select o from Owner o where o.lastName = ?Brien?")
        .endsWith(
            "\n\tat org.hibernate.internal.AbstractSharedSessionContract.createQuery"
                + "(AbstractSharedSessionContract.java:781)\n");
  }

  @Test
  void bracketsThatHoldNoStatementAndBracketsInsideOneStayAsTheyAre() {
    assertThat(scrub("press [Delete] or [select] then [with care]: 3 left"))
        .isEqualTo("press [Delete] or [select] then [with care]: 3 left");
    assertThat(scrub("bad SQL grammar [select a[1], 'x]' from t where b = 7]; nested exception"))
        .isEqualTo("bad SQL grammar [select a[?], ? from t where b = ?]; nested exception");
  }
}
