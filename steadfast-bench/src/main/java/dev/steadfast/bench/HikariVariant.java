package dev.steadfast.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** HikariCP as people use it: plain, with a connectionTestQuery, or pinging before every use. */
final class HikariVariant implements Variant {
    enum Mode {
        PLAIN,
        TEST_QUERY,
        PING_EVERY_USE
    }

    private final String name;
    private final HikariDataSource pool;
    private final Mode mode;

    HikariVariant(String name, String url, String user, String password, int poolSize, Mode mode) {
        this.name = name;
        this.mode = mode;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        if (mode == Mode.TEST_QUERY) {
            config.setConnectionTestQuery("SELECT 1");
        }
        this.pool = new HikariDataSource(config);
    }

    @Override
    public String name() {
        return name;
    }

    private Connection borrow() throws SQLException {
        Connection connection = pool.getConnection();
        if (mode == Mode.PING_EVERY_USE && !connection.isValid(1)) {
            pool.evictConnection(connection);
            return pool.getConnection();
        }
        return connection;
    }

    @Override
    public long select(long id) throws SQLException {
        try (Connection c = borrow()) {
            return Operations.select(c, id);
        }
    }

    @Override
    public void write(long id) throws SQLException {
        try (Connection c = borrow()) {
            c.setAutoCommit(false);
            Operations.update(c, id);
            c.commit();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
