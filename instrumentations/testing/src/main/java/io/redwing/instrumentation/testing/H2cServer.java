package io.redwing.instrumentation.testing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 server on loopback that speaks HTTP/1.1 and cleartext HTTP/2, both by upgrade (the JDK
 * client) and by prior knowledge (Apache's HTTP/2 client). {@code /status/N} answers N, anything
 * else 200. Tests that start one need {@code jetty-http2-server} on their class path.
 */
public final class H2cServer implements AutoCloseable {
  /** A request as the server saw it: the protocol it arrived over and its traceparent header. */
  public record Received(String path, String protocol, String traceparent) {}

  private final Server server = new Server();
  private final ServerConnector connector;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public H2cServer() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    connector =
        new ServerConnector(
            server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            received.add(
                new Received(
                    path,
                    request.getConnectionMetaData().getProtocol(),
                    request.getHeaders().get("traceparent")));
            int status =
                path.startsWith("/status/")
                    ? Integer.parseInt(path.substring("/status/".length()))
                    : 200;
            response.setStatus(status);
            Content.Sink.write(response, true, "answer " + status, callback);
            return true;
          }
        });
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
  }

  /** Every request received since the server started or was last cleared, in arrival order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
