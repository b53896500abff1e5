package org.locomov.store;

import java.util.regex.Pattern;

/** JDBC URL helpers, so that a URL can be shown in a message without the password it may carry. */
final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");

    private JdbcUrls() {
    }

    static String withoutPassword(String jdbcUrl) {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
    }

    static String loopback(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
}
