package io.orchide.twin.scenario;

/**
 * The twin's ground: how many {@code replicas} serve the satellites and the {@code database} they share. SQLite holds
 * one replica; several replicas share one PostgreSQL, which the twin runs itself from Debian's binaries.
 */
public record GroundSpec(int replicas, Database database) {
    public static final int MAX_REPLICAS = 4;
    public static final GroundSpec DEFAULT = new GroundSpec(1, Database.SQLITE);

    /** The stores a scenario's ground can run on, by their wire names. */
    public enum Database {
        SQLITE("sqlite"), POSTGRES("postgres");

        private final String wire;

        Database(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    public GroundSpec {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be 1 to " + MAX_REPLICAS + " (got " + replicas + ")");
        }
        if (replicas > 1 && database != Database.POSTGRES) {
            throw new IllegalArgumentException("several replicas need database postgres (got " + database + ")");
        }
    }
}
