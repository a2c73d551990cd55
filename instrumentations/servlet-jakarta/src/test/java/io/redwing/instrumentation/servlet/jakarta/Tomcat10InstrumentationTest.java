package io.redwing.instrumentation.servlet.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

class Tomcat10InstrumentationTest extends TomcatInstrumentationTest {

  @Test
  void runsOnTomcat10() {
    assertThat(ServerInfo.getServerNumber()).startsWith("10.");
  }
}
