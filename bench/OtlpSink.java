import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in OTLP/HTTP collector for the overhead benchmark: accepts every export, counts the
 * bytes and answers with an empty (valid) protobuf response. Run with {@code java OtlpSink.java
 * <port>}.
 */
public final class OtlpSink {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    AtomicLong bytes = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
          }
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("otlp sink on " + port);
  }
}
