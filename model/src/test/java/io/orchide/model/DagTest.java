package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DagTest {
    /** A graph from pairs name, "after1,after2". */
    private static Map<String, List<String>> graph(String... pairs) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            g.put(pairs[i], pairs[i + 1].isEmpty() ? List.of() : List.of(pairs[i + 1].split(",")));
        }
        return g;
    }

    @Test
    void ordersEachStepAfterItsDependenciesAndOtherwiseAsWritten() {
        var g = graph("join", "left,right", "left", "start", "right", "start", "start", "", "alone", "");
        assertThat(Dag.topologicalOrder(g)).containsExactly("start", "left", "right", "join", "alone");
    }

    @Test
    void aChainWrittenBackwardsComesOutForwards() {
        assertThat(Dag.topologicalOrder(graph("c", "b", "b", "a", "a", ""))).containsExactly("a", "b", "c");
    }

    @Test
    void ignoresUnknownNamesAndRepeatedEdges() {
        assertThat(Dag.topologicalOrder(graph("b", "a,a,ghost", "a", ""))).containsExactly("a", "b");
    }

    @Test
    void findsEachCycleOnceInTheDirectionDataFlows() {
        var g = graph("cloud", "", "detect", "cloud,count", "count", "detect");
        assertThat(Dag.cycles(g)).containsExactly(List.of("detect", "count", "detect"));
        var three = graph("a", "c", "b", "a", "c", "b", "d", "e", "e", "d", "f", "a");
        assertThat(Dag.cycles(three)).containsExactly(List.of("a", "b", "c", "a"), List.of("d", "e", "d"));
        assertThat(Dag.cycles(graph("a", "a"))).containsExactly(List.of("a", "a"));
        assertThat(Dag.cycles(graph("a", "", "b", "a"))).isEmpty();
    }

    @Test
    void refusesToOrderACycle() {
        assertThatThrownBy(() -> Dag.topologicalOrder(graph("a", "b", "b", "a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[a, b, a]");
    }

    @Test
    void ancestorsAreTransitive() {
        var g = graph("join", "left,right", "left", "start", "right", "start", "start", "", "alone", "");
        assertThat(Dag.ancestors(g, "join")).containsExactlyInAnyOrder("left", "right", "start");
        assertThat(Dag.ancestors(g, "start")).isEmpty();
        assertThat(Dag.ancestors(g, "unknown")).isEmpty();
    }

    @Test
    void aLongChainNeedsNoDeepStack() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (int i = 20_000; i > 0; i--) g.put("s" + i, List.of("s" + (i - 1)));
        g.put("s0", List.of());
        List<String> order = Dag.topologicalOrder(g);
        assertThat(order.get(0)).isEqualTo("s0");
        assertThat(order.get(20_000)).isEqualTo("s20000");
        assertThat(Dag.ancestors(g, "s20000")).hasSize(20_000);
        assertThat(Dag.cycles(graph("a", "b", "b", "a"))).hasSize(1);
    }
}
