package io.redwing.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.redwing.agent.AgentVersion;
import io.redwing.agent.control.ControlReply;
import io.redwing.agent.control.ControlRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code java -jar redwing-agent.jar list | attach <pid> [key=value ...] | status <pid> | set <pid>
 * key=value ... | detach <pid> | help}.
 */
public final class RedwingCli {
  public static final int OK = 0;
  public static final int ATTACH_FAILED = 1;
  public static final int USAGE = 2;
  public static final int NO_SUCH_PROCESS = 3;
  public static final int NOT_ATTACHED = 4;

  static final String USAGE_TEXT =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar redwing-agent.jar <command>",
          "",
          "Commands:",
          "  list                          list running JVMs (pid and name)",
          "  attach <pid> [key=value ...]  load the agent into a running JVM; the keys are the",
          "                                agent's configuration (e.g. otel.service.name=shop",
          "                                OTEL_EXPORTER_PROMETHEUS_PORT=9465)",
          "  status <pid>                  is the agent attached; its version, configuration",
          "                                (secrets masked), instrumentations, operation counts",
          "  set <pid> key=value ...       change a setting live: redwing.instrumentation.<name>",
          "                                .enabled, otel.traces.sampler.arg, redwing.log.level,",
          "                                otel.instrumentation.methods.include",
          "  detach <pid>                  remove the agent: original bytecode, final flush,",
          "                                endpoint closed; the application keeps running",
          "  help                          this text",
          "",
          "Exit codes:",
          "  0  done, or the JVM already runs the agent (nothing changed)",
          "  1  the JVM cannot be attached (not a JVM, attach disabled, another user, load failed)",
          "  2  wrong usage, or a setting that cannot change live",
          "  3  no process with that pid",
          "  4  the agent is not attached to that JVM (status, set, detach)");

  private final PrintStream out;
  private final PrintStream err;

  RedwingCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new RedwingCli(System.out, System.err).run(args));
  }

  int run(String[] args) {
    if (args.length == 0) {
      err.println(USAGE_TEXT);
      return USAGE;
    }
    switch (args[0]) {
      case "help":
      case "-h":
      case "--help":
        out.println(USAGE_TEXT);
        return OK;
      case "list":
        return list();
      case "attach":
        if (args.length < 2) {
          err.println(
              "attach needs a pid: java -jar redwing-agent.jar attach <pid> [key=value ...]");
          return USAGE;
        }
        return attach(args[1], Arrays.copyOfRange(args, 2, args.length));
      case "status":
      case "set":
      case "detach":
        if (args.length < 2 || (args[0].equals("set") && args.length < 3)) {
          err.println(
              args[0]
                  + " needs a pid: java -jar redwing-agent.jar "
                  + args[0]
                  + " <pid>"
                  + (args[0].equals("set") ? " key=value ..." : ""));
          return USAGE;
        }
        return control(args[0], args[1], Arrays.copyOfRange(args, 2, args.length));
      default:
        err.println("unknown command \"" + args[0] + "\"");
        err.println(USAGE_TEXT);
        return USAGE;
    }
  }

  private int list() {
    String self = Long.toString(ProcessHandle.current().pid());
    for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
      if (!vm.id().equals(self)) {
        out.println(vm.id() + "\t" + (vm.displayName().isEmpty() ? "?" : vm.displayName()));
      }
    }
    return OK;
  }

  private int attach(String pidText, String[] options) {
    Object target = connect(pidText);
    if (target instanceof Integer) {
      return (Integer) target;
    }
    VirtualMachine vm = (VirtualMachine) target;
    String pid = vm.id();
    try {
      String running = vm.getSystemProperties().getProperty(AgentVersion.PROPERTY);
      if (running != null) {
        out.println(
            "JVM " + pid + " is already attached (version " + running + "); nothing changed");
        return OK;
      }
      String javaVersion = vm.getSystemProperties().getProperty("java.specification.version", "");
      if (featureVersion(javaVersion) >= 21) {
        out.println(
            "note: JDK "
                + javaVersion
                + " prints a warning that an agent was loaded dynamically; start the JVM with"
                + " -XX:+EnableDynamicAgentLoading to silence it");
      }
      vm.loadAgent(agentJar().toString(), String.join(",", options));
      out.println(
          "attached Redwing "
              + AgentVersion.get()
              + " to JVM "
              + pid
              + "; its log is on that JVM's stderr");
      return OK;
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      err.println("loading the agent into JVM " + pid + " failed: " + e);
      return ATTACH_FAILED;
    } catch (URISyntaxException | RuntimeException e) {
      err.println("cannot find the agent jar: " + e);
      return ATTACH_FAILED;
    } finally {
      detachQuietly(vm);
    }
  }

  /**
   * {@code status}, {@code set}, {@code detach}: the command goes in as the argument of a second
   * load of this jar, runs in the agent, and its reply comes back as a system property.
   */
  private int control(String command, String pidText, String[] arguments) {
    Object target = connect(pidText);
    if (target instanceof Integer) {
      return (Integer) target;
    }
    VirtualMachine vm = (VirtualMachine) target;
    String pid = vm.id();
    try {
      String running = vm.getSystemProperties().getProperty(AgentVersion.PROPERTY);
      if (running == null) {
        out.println("JVM " + pid + ": Redwing is not attached");
        return NOT_ATTACHED;
      }
      ControlRequest request = new ControlRequest(nonce(), command, Arrays.asList(arguments));
      vm.loadAgent(agentJar().toString(), request.encode());
      String encoded = vm.getSystemProperties().getProperty(request.replyProperty());
      if (encoded == null) {
        err.println(
            "the agent in JVM "
                + pid
                + " (version "
                + running
                + ") did not answer: an older agent without control commands?");
        return ATTACH_FAILED;
      }
      ControlReply reply = ControlReply.parse(encoded);
      switch (reply.outcome()) {
        case OK:
          out.print(reply.text());
          return OK;
        case REJECTED:
          out.print(reply.text());
          return USAGE;
        default:
          err.print(reply.text());
          return reply.text().startsWith("Redwing is not attached") ? NOT_ATTACHED : ATTACH_FAILED;
      }
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      err.println(command + " in JVM " + pid + " failed: " + e);
      return ATTACH_FAILED;
    } catch (URISyntaxException | RuntimeException e) {
      err.println("cannot find the agent jar: " + e);
      return ATTACH_FAILED;
    } finally {
      detachQuietly(vm);
    }
  }

  private static String nonce() {
    return Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
  }

  private static void detachQuietly(VirtualMachine vm) {
    try {
      vm.detach();
    } catch (IOException ignored) {
      // the target may have gone away; there is nothing left to release
    }
  }

  /** An attached {@link VirtualMachine}, or the exit code after one line saying why not. */
  private Object connect(String pidText) {
    long pid;
    try {
      pid = Long.parseLong(pidText);
    } catch (NumberFormatException e) {
      err.println("\"" + pidText + "\" is not a pid (a positive number; see: list)");
      return USAGE;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      err.println("no process with pid " + pid + " (see: list)");
      return NO_SUCH_PROCESS;
    }
    String me = System.getProperty("user.name");
    Optional<String> owner = process.get().info().user();
    if (owner.isPresent() && !owner.get().equals(me) && !me.equals("root")) {
      err.println(
          "process "
              + pid
              + " belongs to user "
              + owner.get()
              + ", not "
              + me
              + "; run this command as "
              + owner.get());
      return ATTACH_FAILED;
    }
    // The attach protocol signals the target with SIGQUIT, which kills a process that is no JVM.
    if (!isJvm(pid)) {
      err.println(
          "process "
              + pid
              + " ("
              + process.get().info().command().orElse("?")
              + ") is not a Java virtual machine");
      return ATTACH_FAILED;
    }
    try {
      return VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      err.println(
          "cannot attach to JVM "
              + pid
              + ": "
              + e.getMessage()
              + " (was it started with -XX:+DisableAttachMechanism, or by another user?)");
      return ATTACH_FAILED;
    }
  }

  private static boolean isJvm(long pid) {
    String id = Long.toString(pid);
    for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
      if (vm.id().equals(id)) {
        return true;
      }
    }
    // A JVM run with -XX:-UsePerfData is not listed; its memory map still shows libjvm.
    Path maps = Path.of("/proc", id, "maps");
    try {
      return Files.readString(maps, StandardCharsets.ISO_8859_1).contains("libjvm");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static int featureVersion(String specificationVersion) {
    try {
      String v =
          specificationVersion.startsWith("1.")
              ? specificationVersion.substring(2)
              : specificationVersion;
      return Integer.parseInt(v.split("\\.")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Path agentJar() throws URISyntaxException {
    return Path.of(RedwingCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
