package io.redwing.agent.endpoint;

import io.redwing.instrumentation.testing.SelfSignedKeystores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A keystore made by the JDK's keytool for 127.0.0.1 and localhost, and its certificate. */
final class TestKeystore {
  static final String PASSWORD = "keystore-pass-1";

  final Path keystore;
  final Path certificate;

  private TestKeystore(Path keystore, Path certificate) {
    this.keystore = keystore;
    this.certificate = certificate;
  }

  /** {@code type} is PKCS12 or JKS. */
  static TestKeystore generate(Path directory, String type) throws Exception {
    Path keystore = directory.resolve("endpoint." + type.toLowerCase(java.util.Locale.ROOT));
    Path certificate = directory.resolve("endpoint.pem");
    SelfSignedKeystores.generate(keystore, type, "endpoint", PASSWORD);
    SelfSignedKeystores.exportCertificate(keystore, type, "endpoint", PASSWORD, certificate);
    return new TestKeystore(keystore, certificate);
  }

  /** A client context that trusts only this certificate. */
  SSLContext clientContext() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry(
          "endpoint", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
