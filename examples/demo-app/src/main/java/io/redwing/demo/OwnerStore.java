package io.redwing.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Owners in a database behind a HikariCP pool, so each owner request is a real JDBC query: an
 * in-memory H2 by default, or the database {@code DEMO_JDBC_URL} names (with {@code
 * DEMO_JDBC_USER}, {@code DEMO_JDBC_PASSWORD}).
 */
final class OwnerStore implements AutoCloseable {
  static final int SEEDED_OWNERS = 1_000;
  static final String DEFAULT_URL = "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1";

  private final HikariDataSource dataSource;

  OwnerStore(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url == null || url.isBlank() ? DEFAULT_URL : url);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName("demo");
    config.setMaximumPoolSize(8);
    this.dataSource = new HikariDataSource(config);
    seed();
  }

  static OwnerStore fromEnvironment() {
    return new OwnerStore(
        System.getenv("DEMO_JDBC_URL"),
        System.getenv("DEMO_JDBC_USER"),
        System.getenv("DEMO_JDBC_PASSWORD"));
  }

  Optional<String> name(long id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT name FROM owners WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("owner query failed", e);
    }
  }

  /**
   * Inserts the owner again: the demo's failing statement (the id is taken, which only the database
   * notices when it executes it), so that database errors show up in the metrics, the traces and
   * the dashboards.
   */
  void registerAgain(long id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO owners (id, name) VALUES (?, ?)")) {
      insert.setLong(1, id);
      insert.setString(2, "Owner " + id);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("owner registration failed", e);
    }
  }

  private void seed() {
    try (Connection connection = dataSource.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute("DROP TABLE IF EXISTS owners");
      ddl.execute("CREATE TABLE owners (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO owners (id, name) VALUES (?, ?)")) {
        for (int id = 1; id <= SEEDED_OWNERS; id++) {
          insert.setLong(1, id);
          insert.setString(2, "Owner " + id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the owners table", e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
