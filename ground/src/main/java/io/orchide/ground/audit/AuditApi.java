package io.orchide.ground.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.FieldError;
import io.orchide.model.Names;
import io.orchide.model.codec.Durations;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit log over HTTP: {@code GET /api/v1/audit} (entries, newest first, filtered and paged by sequence number)
 * and {@code GET /api/v1/audit/verify} (the chain checked from the anchor to the head).
 *
 * <p>Who may read what is not decided here: {@link #list} takes the query with an explicit tenant filter, and a
 * {@link Scope} given at construction narrows each request's query to what its caller may read (a tenant admin's to
 * their tenant) or refuses it, before the log is asked.
 */
public final class AuditApi {
    /** What a request may read: {@code q} narrowed for the caller, or an {@link ApiException} (403) thrown. */
    @FunctionalInterface
    public interface Scope {
        AuditQuery narrow(HttpExchange ex, AuditQuery q);

        /** Returns when the caller may verify the chain; throws an {@link ApiException} (403) otherwise. */
        default void verify(HttpExchange ex) { }

        /** Every entry to everyone (tests of the API itself; ground uses {@link AuditScope}). */
        Scope ALL = (ex, q) -> q;
    }

    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> PARAMETERS = Set.of("since", "tenant", "actor", "outcome", "limit", "before");

    private final AuditLog log;
    private final Clock clock;
    private final Scope scope;

    public AuditApi(AuditLog log, Clock clock) {
        this(log, clock, Scope.ALL);
    }

    public AuditApi(AuditLog log, Clock clock, Scope scope) {
        this.log = log;
        this.clock = clock;
        this.scope = scope;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/audit", (ex, m) -> list(ex, scope.narrow(ex, query(Exchange.query(ex)))))
                .route("GET", "/api/v1/audit/verify", (ex, m) -> {
                    scope.verify(ex);
                    verify(ex);
                });
    }

    /**
     * The query {@code params} ask for: {@code since} (a duration back from now, as in manifests: 30m, 1h, 7d),
     * {@code tenant}, {@code actor}, {@code outcome} (allowed, denied, failed), {@code limit} (1 to 1000, default 100)
     * and {@code before} (a sequence number: the page after one that ended there). Anything else, or a bad value, is
     * refused with 400 naming the parameter and its value.
     */
    public AuditQuery query(Map<String, String> params) {
        for (String k : params.keySet()) {
            if (!PARAMETERS.contains(k)) {
                throw invalid(k, params.get(k), "unknown parameter (known: before, limit, since, tenant, actor, outcome)");
            }
        }
        Instant since = null;
        String s = params.get("since");
        if (s != null) {
            try {
                Duration d = Durations.parse(s);
                since = clock.instant().minus(d);
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                throw invalid("since", s, "must be a duration back from now, such as 30m, 1h or 7d");
            }
        }
        String tenant = params.get("tenant");
        if (tenant != null) {
            String p = Names.dnsLabelProblem(tenant);
            if (p != null) throw invalid("tenant", tenant, "must be a tenant name: " + p);
        }
        String actor = params.get("actor");
        if (actor != null && (actor.isBlank() || actor.length() > AuditEntry.MAX_ACTOR)) {
            throw invalid("actor", actor, "must be a principal's name (1 to " + AuditEntry.MAX_ACTOR + " characters)");
        }
        Outcome outcome = null;
        String o = params.get("outcome");
        if (o != null) {
            try {
                outcome = Outcome.parse(o);
            } catch (IllegalArgumentException e) {
                throw invalid("outcome", o, "must be one of " + Outcome.known());
            }
        }
        Long before = null;
        String b = params.get("before");
        if (b != null) {
            try {
                before = Long.parseLong(b);
            } catch (NumberFormatException e) {
                before = -1L;
            }
            if (before < 1) throw invalid("before", b, "must be a sequence number (a positive integer)");
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
                throw invalid("limit", l, "must be an integer from 1 to " + AuditQuery.MAX_LIMIT);
            }
        }
        return new AuditQuery(since, tenant, actor, outcome, before, limit);
    }

    /**
     * Answers {@code q}: {@code items}, newest first, and {@code next}, the {@code before} of the next page (null on
     * the last one).
     */
    public void list(HttpExchange ex, AuditQuery q) throws IOException {
        List<AuditRecord> page = log.query(q);
        ObjectNode o = Exchange.JSON.objectNode();
        ArrayNode a = o.putArray("items");
        for (AuditRecord r : page) a.add(view(r));
        if (page.size() == q.limit()) o.put("next", page.getLast().seq());
        else o.putNull("next");
        Exchange.send(ex, 200, o);
    }

    private void verify(HttpExchange ex) throws IOException {
        Verification v = log.verify();
        ObjectNode o = Exchange.JSON.objectNode().put("intact", v.intact()).put("checked", v.checked());
        o.putObject("anchor").put("seq", v.anchorSeq()).put("hash", v.anchorHash());
        o.putObject("head").put("seq", v.headSeq()).put("hash", v.headHash());
        if (v.broken() == null) {
            o.putNull("broken");
        } else {
            o.putObject("broken").put("kind", v.broken().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("seq", v.broken().seq()).put("message", v.broken().message());
        }
        Exchange.send(ex, 200, o);
    }

    static ObjectNode view(AuditRecord r) {
        AuditEntry e = r.entry();
        ObjectNode o = Exchange.JSON.objectNode().put("seq", r.seq()).put("time", r.time().toString())
                .put("actor", e.actor()).put("tenant", e.tenant()).put("verb", e.verb()).put("resource", e.resource())
                .put("outcome", e.outcome().wire()).put("source", e.source()).put("detail", e.detail());
        return o.put("hash", r.hash());
    }

    private static ApiException invalid(String field, String value, String message) {
        // the value is said once, in the field error, as GroundApi's refusals do
        return new ApiException(400, "invalid", field + ": " + message,
                List.of(new FieldError(field, value, message)));
    }
}
