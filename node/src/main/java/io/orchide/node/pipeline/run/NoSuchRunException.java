package io.orchide.node.pipeline.run;

/** No pipeline or run of that name on this node. */
public class NoSuchRunException extends Exception {
    private final String kind;
    private final String name;

    public NoSuchRunException(String kind, String name) {
        super("no " + kind + " named " + name + " on this node");
        this.kind = kind;
        this.name = name;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
