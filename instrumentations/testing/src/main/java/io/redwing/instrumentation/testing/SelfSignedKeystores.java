package io.redwing.instrumentation.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keystores made by the running JDK's keytool for the TLS tests: one EC key pair whose certificate
 * names 127.0.0.1 and localhost, valid for two days. Real files, so that a forked JVM or a real
 * Prometheus can be given them too.
 */
public final class SelfSignedKeystores {
  private SelfSignedKeystores() {}

  /** Writes {@code keystore} ({@code type} PKCS12 or JKS) with one key pair under {@code alias}. */
  public static void generate(Path keystore, String type, String alias, String password)
      throws IOException, InterruptedException {
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        type,
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
  }

  /** Writes the certificate of {@code alias} to {@code pem}, for clients that must trust it. */
  public static void exportCertificate(
      Path keystore, String type, String alias, String password, Path pem)
      throws IOException, InterruptedException {
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        alias,
        "-storetype",
        type,
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
        "-file",
        pem.toString());
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + command + " failed: " + output);
    }
  }
}
