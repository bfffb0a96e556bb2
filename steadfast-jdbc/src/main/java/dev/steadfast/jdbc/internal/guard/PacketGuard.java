package dev.steadfast.jdbc.internal.guard;

import dev.steadfast.jdbc.PacketTooLargeException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Wraps the connection handed to a unit of work so that a statement whose text and parameters are
 * larger than the server's {@code max_allowed_packet} fails before it is sent, with both sizes in the
 * message, instead of the server dropping the connection ("gone away").
 */
public final class PacketGuard {
    private final long maxAllowedPacket;

    public PacketGuard(long maxAllowedPacket) {
        this.maxAllowedPacket = maxAllowedPacket;
    }

    public long maxAllowedPacket() {
        return maxAllowedPacket;
    }

    /** The guarded view of a connection. */
    public Connection guard(Connection connection) {
        return (Connection) Proxy.newProxyInstance(PacketGuard.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    void check(long bytes) throws PacketTooLargeException {
        if (bytes > maxAllowedPacket) {
            throw new PacketTooLargeException(bytes, maxAllowedPacket);
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection delegate;

        ConnectionHandler(Connection delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = PacketGuard.invoke(delegate, method, args);
            if (result instanceof PreparedStatement prepared) {
                Class<?> type = prepared instanceof CallableStatement ? CallableStatement.class : PreparedStatement.class;
                return Proxy.newProxyInstance(PacketGuard.class.getClassLoader(), new Class<?>[] {type},
                        new StatementHandler(prepared, ParameterSizes.textSize((String) args[0])));
            }
            if (result instanceof Statement statement) {
                return Proxy.newProxyInstance(PacketGuard.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new StatementHandler(statement, 0));
            }
            return result;
        }
    }

    /** Tracks parameter sizes of a prepared statement and checks SQL text given to a plain statement. */
    private final class StatementHandler implements InvocationHandler {
        private final Statement delegate;
        private final long sqlBytes;
        private final ParameterSizes parameters = new ParameterSizes();

        StatementHandler(Statement delegate, long sqlBytes) {
            this.delegate = delegate;
            this.sqlBytes = sqlBytes;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                parameters.record(index, args);
            } else if (name.equals("clearParameters")) {
                parameters.clear();
            } else if (name.startsWith("execute") || name.equals("addBatch")) {
                long text = args != null && args.length > 0 && args[0] instanceof String sql ? ParameterSizes.textSize(sql) : sqlBytes;
                check(text + parameters.total());
            }
            return PacketGuard.invoke(delegate, method, args);
        }
    }
}
