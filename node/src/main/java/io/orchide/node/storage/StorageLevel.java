package io.orchide.node.storage;

/**
 * How full the node's storage is: {@code ok}; {@code low}, under the low mark, when the node reclaims what it can
 * spare; {@code full}, inside the reserve, when captures are refused until space returns.
 */
public enum StorageLevel {
    OK("ok"), LOW("low"), FULL("full");

    private final String wire;

    StorageLevel(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
