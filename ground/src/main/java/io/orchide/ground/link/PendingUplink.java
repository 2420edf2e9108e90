package io.orchide.ground.link;

import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.link.Bundle;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;

import java.sql.SQLException;
import java.util.List;

/**
 * The uplink of a ground that started while its database was away: until its link endpoint can be opened (the
 * endpoint keeps its queue in that database) every use fails with {@link DatabaseUnavailable}, which the API answers
 * with 503; once {@link #open opened} it is the endpoint's uplink.
 */
public final class PendingUplink implements Uplink {
    private final String database;
    private volatile Uplink open;

    /** {@code database}: what the failures name, without credentials. */
    public PendingUplink(String database) {
        this.database = database;
    }

    /** From now on every call goes to {@code uplink}. */
    public void open(Uplink uplink) {
        this.open = uplink;
    }

    private Uplink uplink() {
        Uplink u = open;
        if (u == null) {
            throw new DatabaseUnavailable(database, new SQLException("the link is not set up yet: it keeps its "
                    + "queue in the database", "08000"));
        }
        return u;
    }

    @Override public Bundle send(String id, Outgoing o) { return uplink().send(id, o); }

    @Override public LinkStats stats(String satellite) { return uplink().stats(satellite); }

    @Override public List<LinkStats> peers() { return uplink().peers(); }

    @Override public boolean contactOpen() { return uplink().contactOpen(); }

    @Override public void openContact() { uplink().openContact(); }

    @Override public void closeContact() { uplink().closeContact(); }
}
