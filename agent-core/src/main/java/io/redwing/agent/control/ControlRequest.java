package io.redwing.agent.control;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A command for the agent running in a JVM, carried as the argument of a second {@code loadAgent}:
 * {@code redwing.control:<nonce>:<command>[:<arg>,<arg>...]} with each argument URL-encoded, so
 * that neither {@code :} nor {@code ,} inside a value can split it. The reply goes back in the
 * system property {@link #replyProperty()}, which the CLI reads through the attach API.
 */
public final class ControlRequest {
  public static final String PREFIX = "redwing.control:";
  public static final String REPLY_PREFIX = "redwing.control.reply.";
  public static final List<String> COMMANDS = List.of("status", "set", "detach");

  private final String nonce;
  private final String command;
  private final List<String> args;

  public ControlRequest(String nonce, String command, List<String> args) {
    if (nonce.isEmpty() || !nonce.chars().allMatch(Character::isLetterOrDigit)) {
      throw new IllegalArgumentException("the nonce must be letters and digits: \"" + nonce + "\"");
    }
    if (!COMMANDS.contains(command)) {
      throw new IllegalArgumentException("unknown control command \"" + command + "\"");
    }
    this.nonce = nonce;
    this.command = command;
    this.args = List.copyOf(args);
  }

  /** True for an agent argument that is a control command rather than configuration. */
  public static boolean isControl(String agentArgs) {
    return agentArgs != null && agentArgs.startsWith(PREFIX);
  }

  public static ControlRequest parse(String agentArgs) {
    if (!isControl(agentArgs)) {
      throw new IllegalArgumentException("not a control command: \"" + agentArgs + "\"");
    }
    String[] parts = agentArgs.substring(PREFIX.length()).split(":", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException("a control command needs a nonce and a command");
    }
    List<String> args = new ArrayList<>();
    if (parts.length == 3 && !parts[2].isEmpty()) {
      for (String arg : parts[2].split(",", -1)) {
        args.add(URLDecoder.decode(arg, StandardCharsets.UTF_8));
      }
    }
    return new ControlRequest(parts[0], parts[1].toLowerCase(Locale.ROOT), args);
  }

  public String encode() {
    StringBuilder text = new StringBuilder(PREFIX).append(nonce).append(':').append(command);
    String separator = ":";
    for (String arg : args) {
      text.append(separator).append(URLEncoder.encode(arg, StandardCharsets.UTF_8));
      separator = ",";
    }
    return text.toString();
  }

  public String nonce() {
    return nonce;
  }

  public String command() {
    return command;
  }

  public List<String> args() {
    return Collections.unmodifiableList(args);
  }

  public String replyProperty() {
    return REPLY_PREFIX + nonce;
  }
}
