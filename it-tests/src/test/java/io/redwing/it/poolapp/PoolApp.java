package io.redwing.it.poolapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A HikariCP pool of three PostgreSQL connections, one of which the application borrows at start
 * and keeps, with two statements prepared on it, for PoolAttachIT. {@code GET /owners?id=N} runs
 * both kept statements (a SELECT and an UPDATE); {@code GET /visit} borrows another connection,
 * inserts a row and gives it back. A plain JDK HTTP server, which the agent does not instrument, so
 * that only the database shows up.
 */
public final class PoolApp {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private final HikariDataSource pool;
  private final PreparedStatement select;
  private final PreparedStatement update;

  private PoolApp(HikariDataSource pool, Connection kept) throws SQLException {
    this.pool = pool;
    // The literal is there to show that db.query.text is sanitised.
    this.select =
        kept.prepareStatement(
            "SELECT name FROM redwing_attach_owners WHERE id = ? AND name <> 'nobody'");
    this.update = kept.prepareStatement("UPDATE redwing_attach_owners SET name = ? WHERE id = ?");
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(URL);
    config.setUsername("postgres");
    config.setPoolName("attach-pool");
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(3);
    HikariDataSource pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection();
        Statement ddl = c.createStatement()) {
      ddl.execute("DROP TABLE IF EXISTS redwing_attach_owners, redwing_attach_visits");
      ddl.execute("CREATE TABLE redwing_attach_owners (id INT PRIMARY KEY, name VARCHAR(64))");
      ddl.execute(
          "INSERT INTO redwing_attach_owners SELECT i, 'Owner ' || i FROM generate_series(1, 9) i");
      ddl.execute("CREATE TABLE redwing_attach_visits (path VARCHAR(64))");
    }
    PoolApp app = new PoolApp(pool, pool.getConnection());
    // A fixed-size pool: once full, its counts change only with the application's borrows.
    while (pool.getHikariPoolMXBean().getTotalConnections() < 3) {
      Thread.sleep(10);
    }

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/owners", app::owner);
    server.createContext("/visit", app::visit);
    server.start();
    System.out.println("pool app listening on port " + port);
  }

  private void owner(HttpExchange exchange) throws IOException {
    int id = Integer.parseInt(exchange.getRequestURI().getQuery().substring("id=".length()));
    try {
      String name;
      select.setInt(1, id);
      try (ResultSet rows = select.executeQuery()) {
        name = rows.next() ? rows.getString(1) : "";
      }
      update.setString(1, name + " (seen)");
      update.setInt(2, id);
      answer(exchange, 200, name + ", updated " + update.executeUpdate());
    } catch (SQLException e) {
      answer(exchange, 500, e.toString());
    }
  }

  private void visit(HttpExchange exchange) throws IOException {
    int inserted;
    // Closed before answering: the use time is recorded and the pool counts the connection idle in
    // close(), and PoolAttachIT scrapes as soon as it has the answer.
    try (Connection c = pool.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO redwing_attach_visits (path) VALUES (?)")) {
      insert.setString(1, exchange.getRequestURI().getPath());
      inserted = insert.executeUpdate();
    } catch (SQLException e) {
      answer(exchange, 500, e.toString());
      return;
    }
    answer(exchange, 200, "visits +" + inserted);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
