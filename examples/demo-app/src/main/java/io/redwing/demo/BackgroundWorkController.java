package io.redwing.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Work a request hands to other threads: a query on a thread pool and one in a CompletableFuture
 * stage, both against an in-memory H2 database, so that the trace shows them under the request.
 */
@RestController
class BackgroundWorkController {
  private static final String URL = "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1";

  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          2,
          task -> {
            Thread thread = new Thread(task, "demo-worker");
            thread.setDaemon(true);
            return thread;
          });

  BackgroundWorkController() {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS pets (id INT PRIMARY KEY, name VARCHAR(40))");
      s.execute("MERGE INTO pets KEY (id) VALUES (1, 'Leo'), (2, 'Basil'), (3, 'Rosy')");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set up the demo database", e);
    }
  }

  @GetMapping("/background")
  String background() throws InterruptedException, ExecutionException, TimeoutException {
    Future<Integer> pets = workers.submit(() -> count("SELECT COUNT(*) FROM pets"));
    CompletableFuture<Integer> named =
        CompletableFuture.supplyAsync(
            () -> count("SELECT COUNT(*) FROM pets WHERE name LIKE 'B%'"), workers);
    return "pets: "
        + pets.get(5, TimeUnit.SECONDS)
        + ", starting with B: "
        + named.get(5, TimeUnit.SECONDS)
        + "\n";
  }

  void shutdown() {
    workers.shutdownNow();
  }

  private static int count(String sql) {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
