package org.locomov.store;

import java.sql.SQLException;
import org.locomov.core.Reading;

/**
 * Reads what a PostgreSQL error means for a reading: refused for good (the data itself is wrong) or
 * not stored for now (the database is away), and the short reason a device may be told.
 */
final class SqlFailures {

    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final String INTEGRITY_VIOLATION_CLASS = "23";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String NOT_NULL_VIOLATION = "23502";
    private static final String DATETIME_FIELD_OVERFLOW = "22008";
    private static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";

    private SqlFailures() {
    }

    /** True when PostgreSQL refused the data itself (SQLState class 22 or 23): retrying cannot help. */
    static boolean isRefusal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith(DATA_EXCEPTION_CLASS) || state.startsWith(INTEGRITY_VIOLATION_CLASS));
    }

    /** A short reason for the device and the log, naming the problem rather than the SQL. */
    static String refusalReason(SQLException e, Reading reading) {
        String state = e.getSQLState();
        if (FOREIGN_KEY_VIOLATION.equals(state)) {
            return "unknown device " + reading.deviceId();
        }
        if (DATETIME_FIELD_OVERFLOW.equals(state)) {
            return "timestamp out of range";
        }
        if (NUMERIC_VALUE_OUT_OF_RANGE.equals(state)) {
            return "number out of range";
        }
        if (NOT_NULL_VIOLATION.equals(state)) {
            return "missing value";
        }
        if (state.startsWith(DATA_EXCEPTION_CLASS) && reading.extraJson() != null) {
            // The only free text in a reading: a NUL, a \u0000 escape or invalid JSON in unknown fields.
            return "invalid extra fields";
        }
        return "refused by the database (SQLSTATE " + state + ")";
    }

    /** What an operator reads in the log when the database is away: state and first line of the message. */
    static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return firstLine + " (SQLSTATE " + sql.getSQLState() + ")";
        }
        return firstLine;
    }
}
