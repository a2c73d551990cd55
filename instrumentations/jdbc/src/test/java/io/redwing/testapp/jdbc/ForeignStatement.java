package io.redwing.testapp.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement of a driver the agent has never seen, as proxies and pools write them: it hands every
 * call to another statement, and reports a connection of its own choosing.
 */
public final class ForeignStatement implements Statement {
  private final Statement delegate;
  private final Connection connection;
  private final SQLException closed;

  public ForeignStatement(Statement delegate, Connection connection) {
    this(delegate, connection, null);
  }

  private ForeignStatement(Statement delegate, Connection connection, SQLException closed) {
    this.delegate = delegate;
    this.connection = connection;
    this.closed = closed;
  }

  /**
   * A closed statement as DBCP2's and Connector/J's are: every call, {@code getConnection()}
   * included, throws {@code closed}.
   */
  public static ForeignStatement closed(SQLException closed) {
    return new ForeignStatement(null, null, closed);
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    if (closed != null) {
      throw closed;
    }
    return delegate.executeQuery(a0);
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    return delegate.executeUpdate(a0);
  }

  @Override
  public void close() throws SQLException {
    delegate.close();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return delegate.getMaxFieldSize();
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    delegate.setMaxFieldSize(a0);
  }

  @Override
  public int getMaxRows() throws SQLException {
    return delegate.getMaxRows();
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    delegate.setMaxRows(a0);
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    delegate.setEscapeProcessing(a0);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return delegate.getQueryTimeout();
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    delegate.setQueryTimeout(a0);
  }

  @Override
  public void cancel() throws SQLException {
    delegate.cancel();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    delegate.setCursorName(a0);
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    return delegate.execute(a0);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return delegate.getResultSet();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return delegate.getUpdateCount();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return delegate.getMoreResults();
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    delegate.setFetchDirection(a0);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return delegate.getFetchDirection();
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    delegate.setFetchSize(a0);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate.getFetchSize();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return delegate.getResultSetConcurrency();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return delegate.getResultSetType();
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    delegate.addBatch(a0);
  }

  @Override
  public void clearBatch() throws SQLException {
    delegate.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return delegate.executeBatch();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed != null) {
      throw closed;
    }
    return connection;
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    return delegate.getMoreResults(a0);
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return delegate.getGeneratedKeys();
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    return delegate.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    return delegate.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    return delegate.executeUpdate(a0, a1);
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    return delegate.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, int[] a1) throws SQLException {
    return delegate.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    return delegate.execute(a0, a1);
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return delegate.getResultSetHoldability();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    delegate.setPoolable(a0);
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return delegate.isPoolable();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    delegate.closeOnCompletion();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return delegate.isCloseOnCompletion();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return delegate.isWrapperFor(a0);
  }
}
