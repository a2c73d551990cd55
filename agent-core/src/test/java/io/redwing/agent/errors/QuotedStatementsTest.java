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
        .contains("At 1:40 and token '?' [select o from Owner o where o.lastName = ?Brien?")
        .endsWith(
            "\n\tat org.hibernate.internal.AbstractSharedSessionContract.createQuery"
                + "(AbstractSharedSessionContract.java:781)\n");
  }

  @Test
  void whatTheParserSaysItStoppedAtGoesWithTheStatementsValues() {
    // Hibernate 6.x, whose grammar is ANTLR's: the value's tail, echoed twice before the query
    // ("tokens: <EOF>" reads as a secret's name and value, as it did before)
    assertThat(
            scrub(
                "org.hibernate.query.SyntaxException: At 1:45 and token 'Brien', mismatched"
                    + " input 'Brien', expecting one of the following tokens: <EOF>, ',', AND [select"
                    + " o from Owner o where o.lastName = 'Davis' or o.lastName = 'O'Brien']"))
        .startsWith(
            "org.hibernate.query.SyntaxException: At 1:45 and token '?', mismatched input '?',"
                + " expecting one of the following tokens: [Filtered], ',', AND [select o from"
                + " Owner o"
                + " where o.lastName = ? or o.lastName = ?Brien");
    // ANTLR's other shapes, the input with quotes of its own, and one left open at a line's end
    assertThat(scrub("line 1:33 no viable alternative at input 'lastName='O'Brien' near it"))
        .isEqualTo("line 1:33 no viable alternative at input '?' near it");
    assertThat(scrub("line 1:9 extraneous input '4711' expecting {<EOF>, ';'}"))
        .isEqualTo("line 1:9 extraneous input '?' expecting {<EOF>, ';'}");
    assertThat(
            scrub("line 1:40 token recognition error at: ''O'Brien\n\tat Parser.parse(P.java:1)"))
        .as("the word after token reads as a token's value, as it did before")
        .isEqualTo("line 1:40 token [Filtered] error at: '?\n\tat Parser.parse(P.java:1)");
  }

  @Test
  void everyEchoOfATextFullOfThemGoes() {
    String echoes = "mismatched input 'O' and token 'Brien', ".repeat(700);

    assertThat(scrub(echoes + "error at: 'x'"))
        .isEqualTo("mismatched input '?' and token '?', ".repeat(700) + "error at: '?'");
  }

  @Test
  void bracketsThatHoldNoStatementAndBracketsInsideOneStayAsTheyAre() {
    assertThat(scrub("press [Delete] or [select] then [with care]: 3 left"))
        .isEqualTo("press [Delete] or [select] then [with care]: 3 left");
    assertThat(scrub("bad SQL grammar [select a[1], 'x]' from t where b = 7]; nested exception"))
        .isEqualTo("bad SQL grammar [select a[?], ? from t where b = ?]; nested exception");
  }
}
