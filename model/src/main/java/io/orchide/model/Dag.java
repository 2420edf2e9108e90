package io.orchide.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Graph arithmetic on steps: a map from each step's name to the names it comes after, in document order. Names in
 * an {@code after} that are not keys of the map are ignored. No recursion, so any size fits a small stack.
 */
public final class Dag {
    private Dag() {
    }

    /**
     * Every name, each after all the names it depends on; among names free to go, the one written first first.
     *
     * @throws IllegalStateException if there is a cycle
     */
    public static List<String> topologicalOrder(Map<String, List<String>> after) {
        List<String> names = new ArrayList<>(after.keySet());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        int[] waiting = new int[names.size()];
        Map<String, List<String>> dependents = new HashMap<>();
        after.forEach((name, deps) -> {
            for (String d : new LinkedHashSet<>(deps)) {
                if (!index.containsKey(d)) continue;
                waiting[index.get(name)]++;
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(name);
            }
        });
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < waiting.length; i++) if (waiting[i] == 0) ready.add(i);
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String next = names.get(ready.poll());
            order.add(next);
            for (String d : dependents.getOrDefault(next, List.of())) {
                if (--waiting[index.get(d)] == 0) ready.add(index.get(d));
            }
        }
        if (order.size() != names.size()) {
            throw new IllegalStateException("the steps form a cycle: " + cycles(after));
        }
        return order;
    }

    /** The names {@code name} depends on, directly or not (itself only when it is on a cycle). */
    public static Set<String> ancestors(Map<String, List<String>> after, String name) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(after.getOrDefault(name, List.of()));
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (after.containsKey(n) && seen.add(n)) todo.addAll(after.get(n));
        }
        return Collections.unmodifiableSet(seen);
    }

    /**
     * The cycles, each once: a list of names in the direction data flows, starting and ending with the member
     * written first, e.g. {@code [detect, count, detect]} when count comes after detect and detect after count.
     * A step on several cycles is reported with the first found only.
     */
    public static List<List<String>> cycles(Map<String, List<String>> after) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (String start : after.keySet()) {
            if (reported.contains(start)) continue;
            List<String> path = shortestPathBack(after, start);
            if (path == null) continue;
            Collections.reverse(path);
            reported.addAll(path);
            cycles.add(List.copyOf(path));
        }
        return cycles;
    }

    /** start, a dependency of it, ..., start again, along the fewest edges; null when start is on no cycle. */
    private static List<String> shortestPathBack(Map<String, List<String>> after, String start) {
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            String n = todo.poll();
            for (String d : after.getOrDefault(n, List.of())) {
                if (!after.containsKey(d)) continue;
                if (d.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String p = n; !p.equals(start); p = reachedFrom.get(p)) path.add(p);
                    path.add(start);
                    Collections.reverse(path);
                    return path;
                }
                if (!reachedFrom.containsKey(d)) {
                    reachedFrom.put(d, n);
                    todo.add(d);
                }
            }
        }
        return null;
    }
}
