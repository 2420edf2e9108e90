package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;
import io.orchide.client.http.Transfers;
import io.orchide.node.housekeeping.Housekeeper;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads each satellite's {@link HousekeepingSummary} from ground's series API, as the platform admin. */
final class HousekeepingCollector {
    private HousekeepingCollector() {
    }

    /**
     * The housekeeping ground holds for {@code satellite} with samples in [{@code from}, {@code to}), the budget's
     * allowance counted from the first of them; null when ground did not answer.
     */
    static HousekeepingSummary collect(String groundApi, String adminToken, String satellite, Instant from, Instant to) {
        HttpApi admin = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken);
        try {
            List<String> metrics = new ArrayList<>();
            admin.get("/api/v1/series/metrics" + HttpApi.query("satellite", satellite)).path("metrics")
                    .forEach(m -> metrics.add(m.asText()));
            long samples = 0, bytes = -1;
            Instant first = null;
            List<HousekeepingSummary.Gap> gaps = new ArrayList<>();
            for (String m : metrics) {
                JsonNode s = admin.get("/api/v1/series" + HttpApi.query("satellite", satellite, "metric", m,
                        "from", from.toString(), "to", to.toString()));
                samples += s.path("points").size();
                for (JsonNode p : s.path("points")) {
                    Instant t = Instant.parse(p.path("t").asText());
                    if (first == null || t.isBefore(first)) first = t;
                }
                if (m.equals(Housekeeper.SENT_BYTES)) {
                    bytes = 0;
                    for (JsonNode p : s.path("points")) bytes += (long) p.path("last").asDouble(); // a counter's increase
                }
                if (gaps.isEmpty()) {
                    for (JsonNode g : s.path("gaps")) {
                        gaps.add(new HousekeepingSummary.Gap(Instant.parse(g.path("from").asText()),
                                Instant.parse(g.path("to").asText())));
                    }
                }
            }
            long budget = Housekeeper.DEFAULT_BUDGET;
            boolean set = false;
            try {
                budget = admin.get("/api/v1/satellites/" + satellite + "/telemetry-budget").path("bytesPerDay").asLong();
                set = true;
            } catch (ServerException e) {
                if (e.status() != 404) throw e; // 404: none set, the nodes use their default
            }
            // the budget's allowance accrues from the agent's start, which the first sample marks
            return new HousekeepingSummary(satellite, metrics.size(), samples, bytes, budget, set,
                    Duration.between(first != null ? first : from, to), gaps);
        } catch (ServerException e) {
            return null;
        }
    }
}
