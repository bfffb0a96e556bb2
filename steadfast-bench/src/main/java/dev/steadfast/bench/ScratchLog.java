package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

public class ScratchLog {
    public static void main(String[] args) throws Exception {
        try (MariaDbServer server = MariaDbServer.launch();
             ResilientDatabase db = ResilientDatabase.builder().jdbcUrl(server.url(JdbcDriver.valueOf(args[0]))).username(server.user())
                     .password(server.password()).build()) {
            JobQueue queue = JobQueue.create(db);
            queue.enqueue(JobRequest.of("noop").queue("q").build());
            Thread.sleep(200);
            server.execute("SET GLOBAL log_output = 'TABLE'", "TRUNCATE mysql.general_log", "SET GLOBAL general_log = 1");
            queue.enqueue(JobRequest.of("noop").queue("q").build());
            queue.enqueue(JobRequest.of("noop").queue("q").build());
            db.read(c -> { try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) { rs.next(); return 1; } });
            server.execute("SET GLOBAL general_log = 0");
            try (Connection c = server.admin(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT thread_id, command_type, LEFT(argument, 100) FROM mysql.general_log ORDER BY event_time")) {
                while (rs.next()) {
                    System.out.println(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
    }
}
