package dev.steadfast.example.orders;

import dev.steadfast.embedded.EmbeddedPlatform;
import dev.steadfast.embedded.SharedEmbeddedServer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Orders taken over HTTP ({@code POST /orders}) and booked into a ledger by a job that commits with its order. With
 * {@code SPRING_DATASOURCE_URL} (and {@code _USERNAME}, {@code _PASSWORD}) it runs on your server; without, on the
 * embedded MariaDB that {@code ./steadfast} uses in the working directory ({@code ./.steadfast/}).
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) throws IOException {
        SpringApplication application = new SpringApplication(OrdersApplication.class);
        if (System.getenv("SPRING_DATASOURCE_URL") == null && Arrays.stream(args).noneMatch(a -> a.startsWith("--spring.datasource.url"))) {
            EmbeddedPlatform.problemHere().ifPresent(problem -> {
                throw new IllegalStateException(problem + " (set SPRING_DATASOURCE_URL to use your own server)");
            });
            SharedEmbeddedServer database = SharedEmbeddedServer.join(Path.of(".steadfast"));
            application.setDefaultProperties(Map.of("spring.datasource.url", database.jdbcUrl(),
                    "spring.datasource.username", database.user(), "spring.datasource.password", database.password()));
            // after the application has closed (its worker stopped, its pool closed) it leaves the server, which
            // keeps running for the next process of the directory until './steadfast db stop'
            SpringApplication.getShutdownHandlers().add(database::close);
        }
        application.run(args);
    }
}
