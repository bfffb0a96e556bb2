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

import java.security.SecureRandom;
import java.util.HexFormat;

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
                        .requestMatchers("/steadfast", "/steadfast/**", "/actuator/steadfast", "/actuator/prometheus",
                                "/actuator/metrics/**").hasRole("OPS")
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/steadfast/**", "/orders"));
        return http.build();
    }

    /** One operator; without {@code example.ops-password} a random password, logged once at startup. */
    @Bean
    UserDetailsService operators(@Value("${example.ops-password:}") String password) {
        String secret = password;
        if (secret.isBlank()) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
            LOG.info("dashboard at /steadfast/ and /actuator/steadfast: user 'ops', password '{}' (set example.ops-password to choose one)",
                    secret);
        }
        return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}" + secret).roles("OPS").build());
    }
}
