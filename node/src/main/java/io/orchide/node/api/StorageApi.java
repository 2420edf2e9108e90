package io.orchide.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.node.storage.Space;
import io.orchide.node.storage.StorageKeeper;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

/**
 * {@code GET /api/v1/storage}: the node's storage as last measured (level, capacity, used, free, the budget's
 * reserve and low mark), what was reclaimed in all, and the recent changes; {@code ?refresh=true} measures now.
 */
public final class StorageApi {
    private final StorageKeeper keeper;

    public StorageApi(StorageKeeper keeper) {
        this.keeper = keeper;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/storage", (ex, m) -> {
            boolean refresh = "true".equals(Exchange.query(ex).get("refresh"));
            Exchange.send(ex, 200, view(refresh ? keeper.check() : keeper.status()));
        });
    }

    static ObjectNode view(StorageKeeper.Status st) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("level", st.level().wire());
        if (st.since() != null) o.put("since", st.since().toString());
        Space s = st.space();
        if (s != null) {
            o.put("capacityBytes", s.capacityBytes()).put("usedBytes", s.usedBytes()).put("freeBytes", s.freeBytes());
        }
        o.put("limitBytes", st.budget().limitBytes()).put("reserveBytes", st.budget().reserveBytes())
                .put("lowBytes", st.budget().lowBytes());
        o.put("reclaimedItems", st.reclaimedItems()).put("reclaimedBytes", st.reclaimedBytes());
        ArrayNode changes = o.putArray("changes");
        for (StorageKeeper.Change c : st.changes()) {
            ObjectNode x = changes.addObject().put("at", c.at().toString()).put("level", c.level().wire())
                    .put("freeBytes", c.freeBytes());
            if (c.note() != null) x.put("note", c.note());
        }
        if (st.error() != null) o.put("error", st.error());
        return o;
    }
}
