package io.orchide.ground.auth;

/**
 * Told every access decision ground makes, allowed or not, in the request's thread before the answer is sent and
 * before an allowed action is taken. The audit log is one ({@code io.orchide.ground.audit.DecisionAudit}); {@link #LOG}
 * writes refusals as INFO lines and the rest as DEBUG lines of logger {@code io.orchide.ground.auth}. A refusal is
 * made whatever a listener does; a listener may throw for an allowed decision it could not record (the audit log's
 * database away), and the request then fails without its action being taken.
 */
@FunctionalInterface
public interface DecisionListener {
    void decided(Decision d);

    DecisionListener LOG = d -> {
        System.Logger log = System.getLogger("io.orchide.ground.auth");
        System.Logger.Level level = d.outcome() == Decision.Outcome.ALLOWED ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
        if (!log.isLoggable(level)) return;
        log.log(level, "{0} {1} {2} {3}{4} tenant={5} from {6}{7}", d.outcome().wire(), d.actor() == null ? "-" : d.actor(),
                d.verb(), d.resource(), d.name() == null ? "" : "/" + d.name(), d.tenant() == null ? "-" : d.tenant(),
                d.source(), d.reason() == null ? "" : ": " + d.reason());
    };
}
