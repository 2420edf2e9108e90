package io.orchide.node.workload;

/** The named workload does not exist on this node. */
public class NoSuchWorkloadException extends Exception {
    private final String name;

    public NoSuchWorkloadException(String name) {
        super("no workload named " + name);
        this.name = name;
    }

    public String name() { return name; }
}
