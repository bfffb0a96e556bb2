package dev.steadfast.jdbc.internal.pool;

/**
 * What a new connection learnt about its server's role, from the queries that identify the session (no extra round
 * trip): whether it is read-only (a replica, an old primary after a failover) and, on a Galera node, whether the node
 * is ready for application work and which member of the group it is.
 *
 * @param readOnly      {@code @@global.read_only}
 * @param galera        whether the server runs a Galera provider (it reports {@code wsrep_ready})
 * @param ready         Galera: {@code wsrep_ready=ON}, in the primary component and synced; true elsewhere
 * @param gcommUuid     Galera: this node's id in the group ({@code wsrep_gcomm_uuid}, new each start); null elsewhere
 * @param clusterStatus Galera: {@code wsrep_cluster_status} and {@code wsrep_local_state_comment}, for messages
 */
public record NodeFacts(boolean readOnly, boolean galera, boolean ready, String gcommUuid, String clusterStatus) {

    /** A server that reported nothing (a test seam, or a connection made by someone else). */
    public static final NodeFacts UNKNOWN = new NodeFacts(false, false, true, null, null);

    /** Whether a unit of work can write here now. */
    public boolean writable() {
        return !readOnly && ready;
    }

    /** Why this node cannot take writes, for a log line or an error; empty when it can. */
    public String refusal() {
        if (readOnly) {
            return "read-only";
        }
        return ready ? "" : "Galera node not ready (" + clusterStatus + ")";
    }
}
