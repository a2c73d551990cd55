package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ClientDisconnectsTest {
  @Test
  void aWriteToAConnectionTheClientClosedIsADisconnectAlsoWhenWrapped() {
    // the socket's own messages, as Undertow and plain servlet streams pass them on
    assertThat(ClientDisconnects.isDisconnect(new IOException("Broken pipe"))).isTrue();
    assertThat(ClientDisconnects.isDisconnect(new IOException("Connection reset by peer")))
        .isTrue();
    assertThat(
            ClientDisconnects.isDisconnect(
                new IllegalStateException(
                    "response failed", new UncheckedIOException(new IOException("Broken pipe")))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(ClientDisconnects.isDisconnect(new IOException("No space left on device")))
        .isFalse();
    assertThat(ClientDisconnects.isDisconnect(new IOException())).isFalse();
    // the phrase in an exception that is not about the connection
    assertThat(ClientDisconnects.isDisconnect(new IllegalStateException("broken pipe fitting")))
        .isFalse();
    assertThat(ClientDisconnects.isDisconnect(null)).isFalse();
  }
}
