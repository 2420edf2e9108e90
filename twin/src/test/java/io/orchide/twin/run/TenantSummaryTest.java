package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's part of the summary counts the runs and products of its own pipelines only, as the nodes and ground list them. */
class TenantSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> json(String... items) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String i : items) out.add(JSON.readTree(i));
        return out;
    }

    @Test
    void runsAndProductsOfTheTenantsPipelinesAreCountedAndNoOthers() throws Exception {
        List<JsonNode> runs = json("{\"pipeline\": \"fire-watch\", \"state\": \"succeeded\"}",
                "{\"pipeline\": \"fire-watch\", \"state\": \"failed\"}",
                "{\"pipeline\": \"fire-watch\", \"state\": \"running\"}",
                "{\"pipeline\": \"cloud-filter\", \"state\": \"succeeded\"}");
        List<JsonNode> onBoard = json("{\"pipeline\": \"fire-watch\", \"state\": \"queued\"}",
                "{\"pipeline\": \"fire-watch\", \"state\": \"downlinked\"}",
                "{\"pipeline\": \"cloud-filter\", \"state\": \"queued\"}");
        List<JsonNode> atGround = json("{\"size\": 100, \"lineage\": {\"pipeline\": \"fire-watch\"}}",
                "{\"size\": 900, \"lineage\": {\"pipeline\": \"cloud-filter\"}}",
                "{\"size\": 5, \"lineage\": null}");
        TenantSummary fire = TenantSummary.of("fire-team", "cpu=1", List.of("fire-watch"), runs, onBoard, atGround);
        assertThat(fire).isEqualTo(new TenantSummary("fire-team", "cpu=1", List.of("fire-watch"), 3, 1, 1, 1, 100, 1));
    }
}
