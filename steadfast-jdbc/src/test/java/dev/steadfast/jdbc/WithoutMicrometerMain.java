package dev.steadfast.jdbc;

import java.sql.ResultSet;
import java.sql.Statement;

/** Run by {@link MetricsAreViewsTest} in a JVM whose class path has no Micrometer. */
public final class WithoutMicrometerMain {
    private WithoutMicrometerMain() {}

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            System.out.println("micrometer present: the test's class path is wrong");
            System.exit(3);
        } catch (ClassNotFoundException expected) {
            System.out.println("micrometer absent");
        }
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(args[0])
                .username(args[1])
                .password(args[2])
                .build()) {
            int tx = db.transaction(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT 42")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            int read = db.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            System.out.println("transaction " + tx + ", read " + read + ", registry " + db.meterRegistry() + ", health "
                    + db.connectionHealth());
        }
    }
}
