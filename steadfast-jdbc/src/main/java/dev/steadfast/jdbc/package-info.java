/**
 * Connection resilience for MySQL and MariaDB: {@link dev.steadfast.jdbc.ResilientDatabase} and its builder,
 * units of work ({@link dev.steadfast.jdbc.UnitOfWork}, {@link dev.steadfast.jdbc.OutcomeProbe}), what the
 * server said ({@link dev.steadfast.jdbc.ServerTimeouts}, {@link dev.steadfast.jdbc.PoolSettings}), what the
 * healing layer did ({@link dev.steadfast.jdbc.ConnectionHealth}, {@link dev.steadfast.jdbc.HealingStats}),
 * and the exceptions a unit can end with. This package is the API; {@code dev.steadfast.jdbc.internal} is not.
 */
package dev.steadfast.jdbc;
