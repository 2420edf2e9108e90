package io.orchide.ground.product;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Whose a product is: the pipeline its lineage names (its tenant is that pipeline's on the product's satellite). */
public final class ProductOwner {
    private ProductOwner() {
    }

    /** The pipeline a product's lineage names, or null when it names none or does not read. */
    public static String pipeline(String lineage) {
        if (lineage == null) return null;
        JsonNode pipeline;
        try {
            // only the pipeline is needed: read leniently, whatever else a node of another version put there
            pipeline = Trees.readJson(lineage.getBytes(StandardCharsets.UTF_8)).path("pipeline");
        } catch (IOException e) {
            return null;
        }
        return pipeline.isTextual() ? pipeline.asText() : null;
    }
}
