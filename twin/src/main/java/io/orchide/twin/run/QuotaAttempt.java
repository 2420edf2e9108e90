package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;
import io.orchide.client.http.Transfers;
import io.orchide.model.tenant.Quota;

import java.net.URI;
import java.util.List;

/**
 * One apply over a tenant's ground quota made on purpose: a tenant whose {@code pipelines} quota its own pipelines
 * fill (one per satellite they were applied to) tries one more; ground must refuse it with 403 {@code quota_exceeded},
 * naming the quota, the limit, the use and the request, and change nothing.
 *
 * @param tenant    whose developer tried
 * @param target    {@code pipeline/NAME}
 * @param satellite where
 * @param status    ground's HTTP status (-1: no answer)
 * @param code      its error code; null when it accepted or did not answer
 * @param message   its message, or why there was none
 */
public record QuotaAttempt(String tenant, String target, String satellite, int status, String code, String message) {
    /** Whether ground refused it as it must. */
    public boolean refused() {
        return status == 403 && "quota_exceeded".equals(code);
    }

    /**
     * The attempt by the first of {@code tenants} whose {@code pipelines} quota is filled by its own pipelines on
     * {@code satellites} satellites, on the first of them; null when no tenant's quota is full that way.
     */
    static QuotaAttempt make(String groundApi, List<TenantAccess.Member> tenants, List<String> satellites) {
        for (TenantAccess.Member t : tenants) {
            Quota q = t.spec().quota();
            List<String> own = t.spec().pipelines();
            if (q.pipelines() == null || own.isEmpty() || (long) own.size() * satellites.size() < q.pipelines()) continue;
            String name = own.get(0) + "-extra";
            String satellite = satellites.get(0);
            HttpApi api = new HttpApi(URI.create(groundApi), Transfers.NONE, t.token());
            try {
                api.post("/api/v1/satellites/" + satellite + "/apply", copy(api, satellite, own.get(0), name));
                return new QuotaAttempt(t.name(), "pipeline/" + name, satellite, 200, null, "ground accepted it");
            } catch (ServerException e) {
                Refusal r = Refusal.of(e);
                return new QuotaAttempt(t.name(), "pipeline/" + name, satellite, r.status(), r.code(), r.message());
            }
        }
        return null;
    }

    /**
     * The tenant's pipeline {@code of} as ground holds it for {@code satellite} (images pushed, references by digest), under
     * the name {@code name}: an apply that only its quota can refuse.
     */
    private static String copy(HttpApi api, String satellite, String of, String name) {
        for (JsonNode d : api.get("/api/v1/satellites/" + satellite + "/desired").path("items")) {
            if (!d.path("kind").asText().equals("Pipeline") || !d.path("name").asText().equals(of)) continue;
            ObjectNode m = d.path("manifest").deepCopy();
            ((ObjectNode) m.path("metadata")).put("name", name);
            return m.toString();
        }
        throw new IllegalStateException("ground holds no pipeline " + of + " for " + satellite);
    }

    /** As the terminal shows it, at the start and in the summary. */
    List<String> lines() {
        String tried = "over-quota attempt: " + tenant + "'s developer tried to add " + target + " on " + satellite
                + " with its pipelines quota full";
        String answer = status < 0 ? "ground did not answer: " + message
                : refused() ? "refused: " + status + " " + code + ": " + message
                : "QUOTA NOT ENFORCED: ground answered " + status + (code == null ? "" : " " + code) + ": " + message;
        return List.of(tried, answer);
    }
}
