package dev.steadfast.jdbc;

import java.time.Duration;

/**
 * HikariCP timing settings. A zero keepalive means keepalive is off.
 *
 * @param maxLifetime    HikariCP {@code maxLifetime}
 * @param keepaliveTime  HikariCP {@code keepaliveTime}
 * @param idleTimeout    HikariCP {@code idleTimeout}
 */
public record PoolSettings(Duration maxLifetime, Duration keepaliveTime, Duration idleTimeout) {}
