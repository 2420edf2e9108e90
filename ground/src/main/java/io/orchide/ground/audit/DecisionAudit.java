package io.orchide.ground.audit;

import io.orchide.ground.auth.Decision;
import io.orchide.ground.auth.DecisionListener;

import java.util.Locale;

/**
 * Every access decision as an audit entry, through the {@link AuditWriter}: a decision to read ({@code get},
 * {@code list}) allowed is queued and not waited for; any other allowed decision (a change) returns only once its
 * entry is committed, and throws when it cannot be, so that no change is made without its record; a refusal returns
 * once its entry is committed or could not be. Each decision is also told to {@code alsoTold} (the log lines).
 *
 * <p>The entry: the principal's id as actor ({@code anonymous} for a request without valid credentials), the
 * tenant, the verb, the resource with the object's name ({@code pipelines/scan}; for a request refused before it was
 * understood, its path under {@code /api/v1/}), {@code allowed} or {@code denied}, the client's address, and as detail
 * the reason of a refusal and the credential: {@code token ID} for an API token, {@code oidc:ISSUER#SUBJECT} for an OIDC
 * user (whose principal id, the actor, is a hash of that).
 */
public final class DecisionAudit implements DecisionListener {
    public static final String ANONYMOUS = "anonymous";
    private static final String API = "/api/v1/";

    private final AuditWriter writer;
    private final DecisionListener alsoTold;

    public DecisionAudit(AuditWriter writer, DecisionListener alsoTold) {
        this.writer = writer;
        this.alsoTold = alsoTold == null ? d -> { } : alsoTold;
    }

    @Override
    public void decided(Decision d) {
        alsoTold.decided(d);
        writer.record(entry(d), kind(d));
    }

    static AuditWriter.Kind kind(Decision d) {
        if (d.outcome() != Decision.Outcome.ALLOWED) return AuditWriter.Kind.DENIAL;
        return d.verb().equals("get") || d.verb().equals("list") ? AuditWriter.Kind.READ : AuditWriter.Kind.CHANGE;
    }

    static AuditEntry entry(Decision d) {
        boolean anonymous = d.outcome() == Decision.Outcome.UNAUTHENTICATED || d.actor() == null;
        String resource = d.resource();
        if (anonymous && resource.startsWith(API) && resource.length() > API.length()) resource = resource.substring(API.length());
        if (d.name() != null) resource = resource + "/" + d.name();
        String detail = d.reason();
        if (d.credential() != null) {
            // an API token by its id; an OIDC user by its issuer and subject (the actor is their hash)
            String via = d.credential().startsWith("oidc:") ? d.credential() : "token " + d.credential();
            detail = (detail == null ? "" : detail + "; ") + via;
        }
        return new AuditEntry(anonymous ? ANONYMOUS : d.actor(), d.tenant(), d.verb().toLowerCase(Locale.ROOT), resource,
                d.outcome() == Decision.Outcome.ALLOWED ? Outcome.ALLOWED : Outcome.DENIED, d.source(), detail);
    }
}
