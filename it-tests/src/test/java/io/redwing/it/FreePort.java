package io.redwing.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port nobody listens on at the moment of asking, and one this test JVM has not handed out
 * before: the kernel may give the same free port to two asks in a row, and a demo given it for both
 * its application and its agent would have one of them fail to bind.
 */
final class FreePort {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  static int find() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = unused();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port that was not handed out before");
  }

  private static int unused() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
