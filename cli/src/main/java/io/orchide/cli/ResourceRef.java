package io.orchide.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code TYPE NAME} pair that describe, delete, wait, cancel and run take, checked before anything is sent. */
final class ResourceRef {
    @Parameters(index = "0", paramLabel = "TYPE", description = "Resource type (see above)")
    String type;

    @Parameters(index = "1", paramLabel = "NAME", description = "Name")
    String name;

    /** The verb this pair belongs to, for its messages: set by picocli through {@link #spec}, or by {@link QuickArgs}. */
    String verb;

    @Spec(Spec.Target.MIXEE)
    void spec(CommandSpec mixee) { this.verb = mixee.name(); }

    /** The kind, which must be one the verb takes; throws for another or an unknown type. */
    Resources.Kind kind(Resources.Kind... allowed) { return Resources.kind(verb, type, allowed); }

    /** The checked name of a resource of {@code kind}; throws for an invalid one. */
    String name(Resources.Kind kind) { return Resources.name(kind, name); }
}
