package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.DbClientRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          jdbc:postgresql://127.0.0.1:5432/test                         | postgresql           | 127.0.0.1    | 5432  | test
          jdbc:postgresql://db.example.com/shop?user=a&password=secret  | postgresql           | db.example.com | 5432 | shop
          jdbc:postgresql://h1:5433,h2:5434/multi                       | postgresql           | h1           | 5433  | multi
          jdbc:postgresql:local                                         | postgresql           | localhost    | 5432  | local
          jdbc:postgresql://[::1]:6543/v6                               | postgresql           | ::1          | 6543  | v6
          jdbc:p6spy:postgresql://pg:5432/wrapped                       | postgresql           | pg           | 5432  | wrapped
          JDBC:MySQL://user:pw@mysql.local:3307/app?useSSL=false        | mysql                | mysql.local  | 3307  | app
          jdbc:mysql:loadbalance://m1,m2/lb                             | mysql                | m1           | 3306  | lb
          jdbc:mysql+srv://cluster.example.com/app                      | mysql                | cluster.example.com | 3306 | app
          jdbc:mysqlx://x.local:33060/doc                               | mysql                | x.local      | 33060 | doc
          jdbc:tc:mysql:8.0:///app                                      | mysql                | null         | 3306  | app
          jdbc:mariadb://127.0.0.1/test?user=root                       | mariadb              | 127.0.0.1    | 3306  | test
          jdbc:mariadb:sequential://a:3310,b/seq                        | mariadb              | a            | 3310  | seq
          jdbc:sqlserver://sql.local:1444;databaseName=crm;user=sa      | microsoft.sql_server | sql.local    | 1444  | crm
          jdbc:sqlserver://sql.local\\inst;database=hr                  | microsoft.sql_server | sql.local    | 1433  | hr
          jdbc:oracle:thin:@ora.local:1522:ORCL                         | oracle.db            | ora.local    | 1522  | ORCL
          jdbc:oracle:thin:@//ora.local:1523/svc.example                | oracle.db            | ora.local    | 1523  | svc.example
          jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=tns.local)(PORT=1524))(CONNECT_DATA=(SERVICE_NAME=pdb1))) | oracle.db | tns.local | 1524 | pdb1
          jdbc:db2://db2.local:50001/sample                             | ibm.db2              | db2.local    | 50001 | sample
          jdbc:derby://derby.local:1528/app;create=true                 | derby                | derby.local  | 1528  | app
          jdbc:derby:memory:mem;create=true                             | derby                | null         | 0     | mem
          jdbc:h2:mem:redwing                                           | h2database           | null         | 0     | redwing
          jdbc:h2:tcp://h2.local/~/data                                 | h2database           | h2.local     | 9092  | ~/data
          jdbc:h2:./target/db;MODE=MySQL                                | h2database           | null         | 0     | ./target/db
          jdbc:hsqldb:mem:unit                                          | hsqldb               | null         | 0     | unit
          jdbc:hsqldb:hsql://hs.local:9002/xdb                          | hsqldb               | hs.local     | 9002  | xdb
          jdbc:sqlite:/var/data/app.db                                  | sqlite               | null         | 0     | /var/data/app.db
          jdbc:snowflake://acct.snowflakecomputing.com                  | other_sql            | null         | 0     | null
          """)
  void readsSystemAddressPortAndDatabase(
      String url, String system, String host, int port, String namespace) {
    JdbcUrl parsed = JdbcUrl.parse(url);

    assertThat(parsed.system()).isEqualTo(system);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
    assertThat(parsed.namespace()).isEqualTo(namespace);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          jdbc:mysql://address=(host=db1)(port=3306)(user=app)(password=S3cret)/shop          | mysql      | db1  | 3306  | shop   | S3cret
          jdbc:mysql://(password=S3cret,host=db1)/shop                                        | mysql      | db1  | 3306  | shop   | S3cret
          jdbc:mysql://(host=db1,port=3307,user=app,password=S3cret/X9q@Z7w)/shop?useSSL=true | mysql      | db1  | 3307  | shop   | S3cret/X9q@Z7w
          jdbc:mariadb://address=(host=db1)(port=3310)(password=S3cret),address=(host=db2)/shop | mariadb  | db1  | 3310  | shop   | S3cret
          jdbc:mysql://app:S3cret@address=(host=db1)(port=3306)/shop                          | mysql      | db1  | 3306  | shop   | S3cret
          jdbc:mysql://address=(user=app)(password=S3cret)/shop                               | mysql      | null | 3306  | shop   | S3cret
          jdbc:mysql://(password=S3cret)/shop                                                 | mysql      | null | 3306  | shop   | S3cret
          jdbc:postgresql://app:pa/ss@db1/shop                                                | postgresql | db1  | 5432  | shop   | pa/ss
          jdbc:postgresql://app:S3cret/X9q@Z7w@db1:5433/shop?user=admin@srv                   | postgresql | db1  | 5433  | shop   | S3cret/X9q@Z7w
          jdbc:mysql://app:S3cret;X9q/Z7w@db1,db2:3307/shop                                   | mysql      | db1  | 3306  | shop   | S3cret;X9q/Z7w
          jdbc:mysql://app:S3cret@db1:3308/shop?password=S3cret@X9q                           | mysql      | db1  | 3308  | shop   | S3cret@X9q
          jdbc:oracle:thin:scott/p@ss@db1:1521/orcl                                           | oracle.db  | db1  | 1521  | orcl   | p@ss
          jdbc:oracle:thin:scott/S3cret@X9q@//db1:1522/svc                                    | oracle.db  | db1  | 1522  | svc    | S3cret@X9q
          jdbc:oracle:thin:scott/"S3cret@X9q"@db1:1523:ORCL                                   | oracle.db  | db1  | 1523  | ORCL   | S3cret@X9q
          jdbc:oracle:thin:scott/S3cret@X9q@(DESCRIPTION=(ADDRESS=(HOST=tns1)(PORT=1524))(CONNECT_DATA=(SERVICE_NAME=pdb1))) | oracle.db | tns1 | 1524 | pdb1 | S3cret@X9q
          jdbc:db2://db1:50000/SAMPLE:user=app;password=S3cret;                               | ibm.db2    | db1  | 50000 | SAMPLE | S3cret
          jdbc:db2://db1:50001/SAMPLE:user=app@corp;password=S3cret@X9q;                      | ibm.db2    | db1  | 50001 | SAMPLE | S3cret@X9q
          jdbc:db2:SAMPLE:user=app;password=S3cret;                                           | ibm.db2    | localhost | 50000 | SAMPLE | S3cret
          jdbc:derby://derby.local:1528/app;user=app;password=S3cret@X9q                      | derby      | derby.local | 1528 | app | S3cret@X9q
          jdbc:sqlserver://db1;databaseName=shop;password={X9q;databaseName=S3cret}           | microsoft.sql_server | db1 | 1433 | shop | X9q;databaseName=S3cret
          jdbc:sqlserver://db1:1434;password={S3cret;X9q}};databaseName=Z7w};database=shop    | microsoft.sql_server | db1 | 1434 | shop | S3cret;X9q};databaseName=Z7w
          jdbc:sqlserver://db1;databaseName={my;shop};password=S3cret                         | microsoft.sql_server | db1 | 1433 | my;shop | S3cret
          """)
  void readsAddressAndDatabaseButNoCredential(
      String url, String system, String host, int port, String namespace, String password) {
    JdbcUrl parsed = JdbcUrl.parse(url);

    assertThat(parsed.system()).isEqualTo(system);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
    assertThat(parsed.namespace()).isEqualTo(namespace);
    assertHoldsNoPart(parsed, password);
  }

  @Test
  void readsOnlyHostAndPortFromAHostFormWithQuotedValues() {
    // A quoted value is one value, whatever separators and keys it holds.
    for (String url :
        new String[] {
          "jdbc:mysql://(host=db1,port=3307,password='X9q,host=S3cret,port=1')/shop",
          "jdbc:mysql://address=(host=db1)(port=3307)(password=\"X9q)(host=S3cret@Z7w/x\")/shop"
        }) {
      JdbcUrl parsed = JdbcUrl.parse(url);

      assertThat(parsed.host()).as(url).isEqualTo("db1");
      assertThat(parsed.port()).as(url).isEqualTo(3307);
      assertThat(parsed.namespace()).as(url).isEqualTo("shop");
      assertHoldsNoPart(parsed, "X9q S3cret Z7w");
    }
  }

  @Test
  void givesNoAddressWhereAPasswordCannotBeToldApart() {
    // '?' starts the query, where '@' is common (user=name@server), so an '@' after it cannot
    // end a password; nor can one after a '(' that never closes, nor SQL Server's properties
    // after a '{' that never closes. Better nothing than a password.
    for (String url :
        new String[] {
          "jdbc:postgresql://app:S3cret?X9q@db1/shop",
          "jdbc:postgresql://app:S3cret/X9q?Z7w@db1/shop",
          "jdbc:mysql://app:S3c(ret@db1/shop",
          "jdbc:oracle:thin:scott/S3c(ret@db1:1521/orcl",
          "jdbc:oracle:thin:scott/S3cret?X9q@db1:1521/orcl",
          "jdbc:sqlserver://db1;databaseName=shop;password={S3cret;databaseName=X9q"
        }) {
      JdbcUrl parsed = JdbcUrl.parse(url);

      assertThat(parsed.host()).as(url).isNull();
      assertHoldsNoPart(parsed, "S3c ret S3cret X9q Z7w");
    }
  }

  /** No field holds the password, nor any run of three or more of its letters and digits. */
  private static void assertHoldsNoPart(JdbcUrl parsed, String password) {
    String fields =
        parsed.system() + "|" + parsed.host() + "|" + parsed.port() + "|" + parsed.namespace();
    assertThat(fields).doesNotContain(password);
    for (String piece : password.split("[^A-Za-z0-9]+")) {
      if (piece.length() >= 3) {
        assertThat(fields).doesNotContain(piece);
      }
    }
  }

  @Test
  void givesNothingForWhatIsNoUrl() {
    for (String url :
        new String[] {null, "", "not a url", "jdbc:", "jdbc:oracle:thin:@(", "x".repeat(5000)}) {
      JdbcUrl parsed = JdbcUrl.of(url);
      assertThat(parsed.host()).as(url).isNull();
      assertThat(parsed.namespace()).as(url).isNull();
    }
  }

  @Test
  void completesAJdbcRequestFromItsUrlButKeepsWhatTheInstrumentationKnew() {
    DbClientRequest raw = DbClientRequest.jdbc("COMMIT", null, 0, "jdbc:postgresql://pg:5433/shop");

    DbClientRequest done = JdbcRequests.complete(raw);

    assertThat(done.system).isEqualTo("postgresql");
    assertThat(done.serverAddress).isEqualTo("pg");
    assertThat(done.serverPort).isEqualTo(5433);
    assertThat(done.namespace).isEqualTo("shop");
    assertThat(done.operationName).isEqualTo("COMMIT");
    assertThat(JdbcRequests.complete(DbClientRequest.jdbc(null, null, 0, "")).system)
        .isEqualTo("other_sql");
    DbClientRequest redis = new DbClientRequest("jedis", "redis", "0", "h", 6379, "GET", null, 0);
    assertThat(JdbcRequests.complete(redis)).isSameAs(redis);
  }
}
