package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;
import io.orchide.client.http.Transfers;

import java.net.URI;

/**
 * One cross-tenant attempt made on purpose: a tenant's developer tries to replace another tenant's Pipeline (or App)
 * on a satellite with one of its own, as a user who guessed the name would; ground must refuse it with 403 {@code
 * forbidden}, naming the verb, the resource and the tenant. Then the platform admin looks for the refusal in ground's
 * audit log. (Deleting or reading another tenant's object answers 404, as for a missing one, so that nobody learns
 * what others run: a replacement is the attempt that ground refuses in so many words.)
 *
 * @param intruder  the tenant whose developer made the attempt
 * @param principal that developer's service account (the actor the audit log names)
 * @param victim    the tenant whose object was aimed at
 * @param target    {@code pipeline/NAME} or {@code app/NAME}
 * @param satellite where
 * @param status    ground's HTTP status (-1: no answer)
 * @param code      its error code ({@code forbidden}); null when it accepted or did not answer
 * @param message   its message, or why there was none
 * @param audit     the audit log's entry for the refusal; null when none was found
 */
public record CrossTenantAttempt(String intruder, String principal, String victim, String target, String satellite,
                                 int status, String code, String message, AuditEntry audit) {
    /** An entry of ground's audit log: its sequence number and time. */
    public record AuditEntry(long seq, String time) {
    }

    /** Whether ground refused it as it must. */
    public boolean refused() {
        return status == 403;
    }

    /**
     * Makes the attempt with {@code intruder}'s token against {@code victim}'s first Pipeline (else its first App) on
     * {@code satellite}, then asks the audit log as the platform admin; null when the victim declares nothing.
     */
    static CrossTenantAttempt make(String groundApi, String adminToken, TenantAccess.Member intruder,
                                   TenantAccess.Member victim, String satellite) {
        boolean pipeline = !victim.spec().pipelines().isEmpty();
        if (!pipeline && victim.spec().apps().isEmpty()) return null;
        String name = pipeline ? victim.spec().pipelines().get(0) : victim.spec().apps().get(0);
        String target = (pipeline ? "pipeline/" : "app/") + name;
        int status;
        String code = null, message;
        try {
            new HttpApi(URI.create(groundApi), Transfers.NONE, intruder.token())
                    .post("/api/v1/satellites/" + satellite + "/apply", manifest(pipeline, name, victim.name()));
            status = 200;
            message = "ground accepted it";
        } catch (ServerException e) {
            Refusal r = Refusal.of(e);
            status = r.status();
            code = r.code();
            message = r.message();
        }
        AuditEntry audit = status == 403 ? audit(groundApi, adminToken, intruder.principal()) : null;
        return new CrossTenantAttempt(intruder.name(), intruder.principal(), victim.name(), target, satellite, status,
                code, message, audit);
    }

    /**
     * A manifest in {@code tenant}'s name that would replace its {@code name}: its image a digest nobody pushed, as
     * ground decides who may create what before it looks at images.
     */
    static String manifest(boolean pipeline, String name, String tenant) {
        String image = "image: sha256:" + "0".repeat(64) + "\n";
        String runtime = "runtime: {family: container, monitor: runc}\n";
        String head = "apiVersion: orchide.io/v1\nkind: " + (pipeline ? "Pipeline" : "App") + "\nmetadata: {name: " + name
                + ", tenant: " + tenant + "}\nspec:\n";
        if (!pipeline) return head + "  " + image + "  " + runtime;
        return head + "  triggers: [{onEvent: {name: taken-over}}]\n  steps:\n    - name: replaced\n      template:\n"
                + "        " + image + "        " + runtime;
    }

    /** The newest denied entry of {@code actor} in ground's audit log, asked as the platform admin; null when none. */
    private static AuditEntry audit(String groundApi, String adminToken, String actor) {
        try {
            JsonNode page = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken)
                    .get("/api/v1/audit" + HttpApi.query("outcome", "denied", "actor", actor, "limit", "1"));
            JsonNode e = page.path("items").path(0);
            return e.isObject() ? new AuditEntry(e.path("seq").asLong(), e.path("time").asText()) : null;
        } catch (ServerException e) {
            return null;
        }
    }
}
