package io.orchide.node.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two of the agent's connections to one database file, as the engine, the ledgers and the link have. */
class TransactionsTest {
    @TempDir
    Path tmp;
    Connection a;
    Connection b;

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE); // as Database.open
        config.setBusyTimeout(200);
        return config.createConnection("jdbc:sqlite:" + tmp.resolve("node.db"));
    }

    @BeforeEach
    void open2() throws SQLException {
        a = open();
        b = open();
        try (Statement s = a.createStatement()) {
            s.execute("CREATE TABLE t (v INTEGER)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        a.close();
        b.close();
    }

    private static void insert(Connection c, int v) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (" + v + ")");
        }
    }

    private int count() throws SQLException {
        try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            return rs.getInt(1);
        }
    }

    @Test
    void aBeginThatTimesOutLeavesTheConnectionAsItWasSoItsNextTransactionIsWholeOrNothing() throws SQLException {
        Transactions.begin(a); // a holds the write lock
        insert(a, 1);
        assertThatThrownBy(() -> Transactions.inTransaction(b, () -> {
            insert(b, 2);
            return null;
        }, "blocked")).isInstanceOf(StoreException.class).hasMessageContaining("blocked");
        assertThat(b.getAutoCommit()).isTrue();
        Transactions.commit(a);

        // b's next transaction is a real one: its failure undoes both of its writes
        assertThatThrownBy(() -> Transactions.inTransaction(b, () -> {
            insert(b, 3);
            insert(b, 4);
            throw new SQLException("the work failed half-way");
        }, "half")).isInstanceOf(StoreException.class);
        assertThat(count()).isEqualTo(1);
        assertThat(b.getAutoCommit()).isTrue();
    }
}
