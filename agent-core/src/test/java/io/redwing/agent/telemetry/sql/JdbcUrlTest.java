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
    DbClientRequest raw =
        new DbClientRequest(
            "jdbc", null, null, null, 0, "COMMIT", null, 0, "jdbc:postgresql://pg:5433/shop");

    DbClientRequest done = JdbcRequests.complete(raw);

    assertThat(done.system).isEqualTo("postgresql");
    assertThat(done.serverAddress).isEqualTo("pg");
    assertThat(done.serverPort).isEqualTo(5433);
    assertThat(done.namespace).isEqualTo("shop");
    assertThat(done.operationName).isEqualTo("COMMIT");
    assertThat(
            JdbcRequests.complete(
                    new DbClientRequest("jdbc", null, null, null, 0, null, null, 0, ""))
                .system)
        .isEqualTo("other_sql");
    DbClientRequest redis = new DbClientRequest("jedis", "redis", "0", "h", 6379, "GET", null, 0);
    assertThat(JdbcRequests.complete(redis)).isSameAs(redis);
  }
}
