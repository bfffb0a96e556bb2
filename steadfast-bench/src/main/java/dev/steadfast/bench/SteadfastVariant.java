package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import java.sql.SQLException;

/** Steadfast units of work: db.read for the SELECT, db.transaction for the write. */
final class SteadfastVariant implements Variant {
    private final String name;
    private final ResilientDatabase db;
    private final boolean probeInsteadOfMarker;

    SteadfastVariant(String name, ResilientDatabase db, boolean probeInsteadOfMarker) {
        this.name = name;
        this.db = db;
        this.probeInsteadOfMarker = probeInsteadOfMarker;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long select(long id) throws SQLException {
        return db.read(c -> Operations.select(c, id));
    }

    @Override
    public void write(long id) throws SQLException {
        if (probeInsteadOfMarker) {
            // A caller whose writes prove the outcome; the probe is never called without a cut COMMIT.
            db.transaction(c -> false, tx -> Operations.update(tx, id));
        } else {
            db.transaction(tx -> Operations.update(tx, id));
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
