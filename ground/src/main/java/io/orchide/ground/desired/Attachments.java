package io.orchide.ground.desired;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The signed documents a desired-state change carries to the node (the chain of trust that lets it verify the images
 * the manifest names), read in the change's transaction.
 */
@FunctionalInterface
public interface Attachments {
    Attachments NONE = (c, tenant, manifest) -> List.of();

    /** For a change of {@code tenant}'s object whose manifest is {@code manifest} (null: a deletion). */
    List<String> of(Connection c, String tenant, String manifest) throws SQLException;
}
