package io.redwing.agent.telemetry;

import java.util.concurrent.ThreadLocalRandom;

/** Accepts an inbound {@code X-Request-ID} when it is sane, otherwise makes a new one. */
final class RequestIds {
  static final int MAX_LENGTH = 128;

  private RequestIds() {}

  static String acceptOrGenerate(String inbound) {
    return isSane(inbound) ? inbound : generate();
  }

  static boolean isSane(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      // printable ASCII without space: the id goes into a response header and log lines
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** 32 hex digits, random: same shape as a trace id, cheap, no SecureRandom blocking. */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }
}
