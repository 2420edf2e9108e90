package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orchide.model.codec.Durations;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code orchide get audit}'s filters, and the listing: ground's audit log, newest first, page after page
 * ({@code GET /api/v1/audit?before=SEQ}) until {@code --limit} entries or the end.
 */
final class AuditOptions {
    static final List<String> OUTCOMES = List.of("allowed", "denied", "failed");
    static final int DEFAULT_LIMIT = 100, PAGE = 1000;

    @Option(names = "--since", paramLabel = "DURATION", description = "Audit: only entries of the last DURATION (30m, 1h, 7d)")
    String since;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Audit: only entries of this tenant")
    String tenant;

    @Option(names = "--actor", paramLabel = "PRINCIPAL", description = "Audit: only entries of this user or service account")
    String actor;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Audit: only allowed, denied or failed entries")
    String outcome;

    /** Refuses the audit filters with another resource type rather than ignoring them. */
    void refuseWith(Resources.Kind kind) {
        String given = since != null ? "--since" : tenant != null ? "--tenant" : actor != null ? "--actor"
                : outcome != null ? "--outcome" : null;
        if (given != null) throw new CliException(given + " applies to audit only (not " + kind.plural() + ")");
    }

    /** The entries the filters select, newest first, at most {@code limit} (null: {@link #DEFAULT_LIMIT}). */
    JsonNode fetch(ApiClient api, Integer limit) {
        check(limit);
        int wanted = limit == null ? DEFAULT_LIMIT : limit;
        ArrayNode out = ApiClient.JSON.createArrayNode();
        String before = null;
        while (out.size() < wanted) {
            JsonNode page = api.get("/api/v1/audit" + ApiClient.query("since", since, "tenant", tenant, "actor", actor,
                    "outcome", outcome, "limit", Integer.toString(Math.min(PAGE, wanted - out.size())), "before", before));
            page.path("items").forEach(out::add);
            JsonNode next = page.path("next");
            if (!next.isIntegralNumber() || page.path("items").isEmpty()) break;
            before = next.asText();
        }
        return out;
    }

    private void check(Integer limit) {
        if (since != null) {
            try {
                Durations.parse(since);
            } catch (IllegalArgumentException e) {
                throw new CliException("--since: expected a duration such as 30m, 1h or 7d (got " + since + ")");
            }
        }
        if (tenant != null) Resources.name(tenant);
        if (actor != null && actor.isBlank()) throw new CliException("--actor: expected a principal's name (got an empty one)");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw new CliException("--outcome: unknown outcome " + outcome + " (known: " + String.join(", ", OUTCOMES) + ")");
        }
        if (limit != null && limit < 1) throw new CliException("--limit must be at least 1 (got " + limit + ")");
    }

    /** TIME ACTOR TENANT VERB RESOURCE OUTCOME SOURCE, newest first; TIME as ground's clock stamped it. */
    static Table table(JsonNode items) {
        Table t = new Table("TIME", "ACTOR", "TENANT", "VERB", "RESOURCE", "OUTCOME", "SOURCE");
        for (JsonNode e : items) {
            t.row(e.path("time").asText(), e.path("actor").asText(), Table.text(e.path("tenant")), e.path("verb").asText(),
                    e.path("resource").asText(), e.path("outcome").asText(), Table.text(e.path("source")));
        }
        return t;
    }
}
