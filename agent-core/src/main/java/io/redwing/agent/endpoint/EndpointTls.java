package io.redwing.agent.endpoint;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The endpoint's TLS: a server certificate from a keystore, TLS 1.2 and 1.3 only. */
final class EndpointTls extends HttpsConfigurator {
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final String[] protocols;

  private EndpointTls(SSLContext context) {
    super(context);
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    List<String> enabled = new ArrayList<>(PROTOCOLS);
    enabled.retainAll(supported);
    this.protocols = enabled.toArray(new String[0]);
  }

  /**
   * Loads the keystore once. {@code type} may be {@code null}: the JDK then recognises PKCS12 and
   * JKS by their content. The key's password is the store's, as keytool makes PKCS12 stores.
   */
  static EndpointTls load(Path keystore, String type, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store;
    if (type == null) {
      store = KeyStore.getInstance(keystore.toFile(), password);
    } else {
      store = KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, password);
      }
    }
    boolean hasKey = false;
    for (String alias : Collections.list(store.aliases())) {
      hasKey |= store.isKeyEntry(alias);
    }
    if (!hasKey) {
      throw new GeneralSecurityException("it holds no private key with a certificate");
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return new EndpointTls(context);
  }

  @Override
  public void configure(HttpsParameters params) {
    SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
    parameters.setProtocols(protocols.clone());
    params.setSSLParameters(parameters);
  }
}
