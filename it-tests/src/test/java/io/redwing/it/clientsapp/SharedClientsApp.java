package io.redwing.it.clientsapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * An application that builds one shared client of each kind at start-up, as services do, and uses
 * the same objects for every call: {@code GET /call?client=jdk|okhttp|apache&url=...} makes one
 * call with that client and answers the status it got. For AttachedClientsIT.
 */
public final class SharedClientsApp {
  private static final HttpClient JDK = HttpClient.newHttpClient();
  private static final OkHttpClient OKHTTP = new OkHttpClient();
  private static final CloseableHttpClient APACHE =
      HttpClients.custom().setConnectionManager(new PoolingHttpClientConnectionManager()).build();

  private SharedClientsApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.createContext("/call", SharedClientsApp::call);
    server.start();
    System.out.println("clients app listening on port " + port);
  }

  private static void call(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getQuery();
      String client = parameter(query, "client");
      URI target = URI.create(parameter(query, "url"));
      int status;
      try {
        status = callWith(client, target);
      } catch (IOException | RuntimeException | InterruptedException e) {
        status = 599;
        e.printStackTrace();
      }
      byte[] body = Integer.toString(status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static int callWith(String client, URI target) throws IOException, InterruptedException {
    switch (client) {
      case "jdk":
        return JDK.send(HttpRequest.newBuilder(target).build(), BodyHandlers.ofString())
            .statusCode();
      case "okhttp":
        try (Response response =
            OKHTTP.newCall(new Request.Builder().url(target.toString()).build()).execute()) {
          response.body().string();
          return response.code();
        }
      case "apache":
        return APACHE.execute(
            new HttpGet(target),
            response -> {
              EntityUtils.consume(response.getEntity());
              return response.getCode();
            });
      default:
        throw new IllegalArgumentException("no client " + client);
    }
  }

  private static String parameter(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + query);
  }
}
