package io.orchide.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client verbs' own binding of a command line gives each field what picocli would, or leaves it to picocli. */
class QuickArgsTest {
    private static final Map<String, Supplier<Object>> VERBS = Map.ofEntries(
            Map.entry("apply", ApplyCommand::new), Map.entry("get", GetCommand::new),
            Map.entry("describe", DescribeCommand::new), Map.entry("logs", LogsCommand::new),
            Map.entry("stop", LifecycleCommand.Stop::new), Map.entry("delete", DeleteCommand::new),
            Map.entry("wait", WaitCommand::new), Map.entry("run", RunCommand::new),
            Map.entry("cancel", CancelCommand::new), Map.entry("event", EventCommand::new),
            Map.entry("products", ProductsCommand::new), Map.entry("doctor", DoctorCommand::new));

    @Test
    void everyFieldGetsWhatPicocliWouldGiveIt() throws Exception {
        List<List<String>> lines = List.of(
                List.of("apply", "-f", "a.yaml", "--filename", "b.yaml", "-o", "json"),
                List.of("apply", "-f", "-", "--server", "http://127.0.0.1:7199", "--satellite", "sat-1"),
                List.of("get", "workloads"),
                List.of("get", "runs", "--pipeline", "cloud-filter", "--state", "failed", "--limit", "5", "-o", "wide"),
                List.of("get", "--server=http://h:1", "workload", "hello"),
                List.of("describe", "run", "cloud-filter-000042", "-o", "json"),
                List.of("logs", "hello", "-f", "--tail", "10"),
                List.of("logs", "run", "cloud-filter-000042", "--step", "cloud", "--item", "3"),
                List.of("stop", "hello"),
                List.of("delete", "pipeline", "cloud-filter", "--satellite", "sat-2"),
                List.of("wait", "workload", "hello", "--for", "running"),
                List.of("wait", "run", "cloud-filter-000001", "--timeout", "5m"),
                List.of("run", "pipeline", "cloud-filter", "--input", "scene=/a.pgm", "--input", "x=/b"),
                List.of("cancel", "run", "cloud-filter-000001"),
                List.of("event", "scene-requested", "--satellite", "sat-1"),
                List.of("products", "get", "12", "-o", "out.bin"),
                List.of("doctor", "-o", "json"));
        for (List<String> line : lines) {
            Object quick = VERBS.get(line.get(0)).get();
            QuickArgs.bind(quick, line.get(0), line.subList(1, line.size()));
            Object picocli = VERBS.get(line.get(0)).get();
            new CommandLine(picocli).parseArgs(line.subList(1, line.size()).toArray(String[]::new));

            assertThat(fields(quick)).as(String.join(" ", line)).isEqualTo(fields(picocli));
        }
    }

    @Test
    void whatItDoesNotBindAsPicocliWouldIsLeftToPicocli() {
        for (List<String> line : List.of(List.of("get", "--help"), List.of("get"), List.of("get", "wl", "a", "b"),
                List.of("logs", "-x", "hello"), List.of("apply"), List.of("wait", "workload", "hello", "--timeout"),
                List.of("get", "runs", "--limit", "many"), List.of("get", "-o", "json", "-o", "wide", "wl"),
                List.of("get", "--", "wl"), List.of("logs", "a", "b", "c"))) {
            Object command = VERBS.get(line.get(0)).get();
            assertThatThrownBy(() -> QuickArgs.bind(command, line.get(0), line.subList(1, line.size())))
                    .as(String.join(" ", line)).isInstanceOf(QuickArgs.Unsupported.class);
        }
    }

    @Test
    void aVerbRunThroughEitherPathPrintsTheSameError() {
        FakeServer.Result quick = FakeServer.cli("get", "runs", "--state", "done");
        FakeServer.Result picocli = FakeServer.cli("get", "runs", "--state", "done", "--limit", "x");

        assertThat(quick.err()).contains("--state: unknown run state done");
        assertThat(picocli.err()).contains("--limit").doesNotContain("Exception");
    }

    /** Every field of the command and of its mixins, by name, as text. */
    private static Map<String, String> fields(Object o) throws IllegalAccessException {
        Map<String, String> m = new TreeMap<>();
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                f.setAccessible(true);
                Object v = f.get(o);
                if (f.isAnnotationPresent(CommandLine.Mixin.class) && v != null) {
                    fields(v).forEach((k, x) -> m.put(f.getName() + "." + k, x));
                } else {
                    m.put(f.getName(), String.valueOf(v));
                }
            }
        }
        return m;
    }
}
