package io.redwing.testapp.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** Connections whose {@code getMetaData()} fails the way some drivers and proxies do. */
public final class MisbehavingConnection {
  private MisbehavingConnection() {}

  /** Everything goes to {@code real} except {@code getMetaData()}, which throws {@code error}. */
  public static Connection throwingFromMetaData(Connection real, SQLException error) {
    return withMetaData(real, error, null);
  }

  /** Everything goes to {@code real} except {@code getMetaData()}, which answers null. */
  public static Connection withoutMetaData(Connection real) {
    return withMetaData(real, null, null);
  }

  private static Connection withMetaData(
      Connection real, SQLException error, DatabaseMetaData metaData) {
    return (Connection)
        Proxy.newProxyInstance(
            MisbehavingConnection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getMetaData")) {
                if (error != null) {
                  throw error;
                }
                return metaData;
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
