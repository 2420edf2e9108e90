package io.orchide.model.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class TreesTest {
    private static JsonNode read(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            return Trees.read(p);
        }
    }

    @Test
    void numbersKeepTheirKinds() throws IOException {
        JsonNode n = read("{\"i\":32,\"l\":4294967296,\"b\":123456789012345678901234567890,\"d\":1.5,\"s\":\"32\"}");
        assertThat(n.get("i").isInt()).isTrue();
        assertThat(n.get("l").isLong()).isTrue();
        assertThat(n.get("b").isBigInteger()).isTrue();
        assertThat(n.get("d").isFloatingPointNumber()).isTrue();
        assertThat(n.get("s").isTextual()).isTrue();
    }

    @Test
    void compactJsonRoundTripsExactly() throws IOException {
        String json = "{\"a\":[1,true,null,{\"b\":\"c\\u0000d\"}],\"e\":{},\"f\":[]}";
        assertThat(Trees.toJson(read(json), false)).isEqualTo(json);
    }

    @Test
    void deepNestingNeitherOverflowsTheStackOnReadNorOnWrite() throws IOException {
        int depth = 900; // under the parser's nesting limit, on a stack too small for recursion this deep
        String json = "[".repeat(depth) + "]".repeat(depth);
        Thread t = new Thread(null, () -> {
            try {
                assertThat(Trees.toJson(read(json), false)).isEqualTo(json);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "small-stack", 64 * 1024);
        Throwable[] failure = new Throwable[1];
        t.setUncaughtExceptionHandler((th, e) -> failure[0] = e);
        t.start();
        assertThat(t).matches(x -> {
            try {
                x.join();
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        });
        assertThat(failure[0]).isNull();
    }

    @Test
    void nestingBeyondTheParserLimitIsRefused() {
        String json = "[".repeat(1001) + "]".repeat(1001);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(json)).hasMessageContaining("nesting depth");
    }

    @Test
    void yamlQuotesStringsThatWouldReadBackAsOtherTypes() throws IOException {
        JsonNode n = read("{\"a\":\"32\",\"b\":\"yes\",\"c\":\"0x10\",\"d\":\"plain\"}");
        String yaml = Trees.toYaml(n);
        assertThat(yaml).contains("a: \"32\"").contains("b: \"yes\"").contains("c: \"0x10\"").contains("d: plain");
    }
}
