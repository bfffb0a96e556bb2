package dev.steadfast.example.orders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The application's own security in front of Steadfast's dashboard and the actuator: HTTP Basic for the OPS role.
 * The order API stays open (it is the example's public API). The dashboard checks its forms with its own CSRF token,
 * so Spring Security's is not asked of its paths.
 */
@Configuration
public class SecurityConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // probes answer anyone, with a status only (details need the role: application.properties)
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/steadfast", "/steadfast/**", "/actuator", "/actuator/**").hasRole("OPS")
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/steadfast/**", "/orders"));
        return http.build();
    }

    /**
     * One operator; without {@code example.ops-password} a random password, kept in an owner-only file (logs are read
     * by more people than should sign in, so the password is never logged).
     */
    @Bean
    UserDetailsService operators(@Value("${example.ops-password:}") String password,
                                 @Value("${example.ops-password-file:.steadfast/example-ops-password}") Path file) throws IOException {
        String secret = password;
        if (secret.isBlank()) {
            secret = OpsPassword.readOrCreate(file);
            LOG.info("dashboard at /steadfast/ and /actuator/steadfast: user 'ops', password in {} (owner-only; set "
                    + "example.ops-password to choose one)", file.toAbsolutePath());
        }
        return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}" + secret).roles("OPS").build());
    }
}
