package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.message.ProductState;

import java.util.List;
import java.util.Set;

/**
 * One tenant at the end of a scenario: its quota as declared, its pipelines, their runs on every satellite (by how
 * they ended) and their products, at ground and still waiting on board.
 */
public record TenantSummary(String name, String quota, List<String> pipelines, int runs, int succeeded, int failed,
                            int productsAtGround, long productBytesAtGround, int productsOnBoard) {
    public TenantSummary {
        pipelines = List.copyOf(pipelines);
    }

    /**
     * Counts from what the nodes list ({@code runs}, {@code boardProducts}: their API's views) and the products ground
     * holds ({@code atGround}, with their lineage), keeping those of {@code pipelines}.
     */
    static TenantSummary of(String name, String quota, List<String> pipelines, List<JsonNode> runs,
                            List<JsonNode> boardProducts, List<JsonNode> atGround) {
        Set<String> mine = Set.copyOf(pipelines);
        int total = 0, succeeded = 0, failed = 0, down = 0, onBoard = 0;
        long bytes = 0;
        for (JsonNode r : runs) {
            if (!mine.contains(r.path("pipeline").asText())) continue;
            total++;
            String state = r.path("state").asText();
            if (state.equals("succeeded")) succeeded++;
            else if (SceneOutcome.unsettled(state)) failed++;
        }
        for (JsonNode p : atGround) {
            if (!mine.contains(p.path("lineage").path("pipeline").asText())) continue;
            down++;
            bytes += p.path("size").asLong();
        }
        for (JsonNode p : boardProducts) {
            if (!mine.contains(p.path("pipeline").asText())) continue;
            if (ProductState.fromWire(p.path("state").asText()).filter(s -> !s.done()).isPresent()) onBoard++;
        }
        return new TenantSummary(name, quota, pipelines, total, succeeded, failed, down, bytes, onBoard);
    }
}
