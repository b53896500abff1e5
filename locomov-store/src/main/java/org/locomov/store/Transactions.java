package org.locomov.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one transaction on a pooled connection: committed when the work returns, rolled back when
 * it throws, and the connection handed back to the pool in auto-commit mode either way.
 *
 * <p>Stateless; each call uses its own connection.
 */
final class Transactions {

    /** Work done on a connection whose transaction the caller of {@link #run} commits. */
    @FunctionalInterface
    interface Work<T> {
        T in(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code work} in a transaction of its own and commits it; the caller maps {@link SQLException}s. */
    static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
