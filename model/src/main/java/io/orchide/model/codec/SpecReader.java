package io.orchide.model.codec;

import io.orchide.model.ContentRef;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Compatibility;
import io.orchide.model.Family;
import io.orchide.model.Mount;
import io.orchide.model.Names;
import io.orchide.model.Resources;
import io.orchide.model.RestartPolicy;
import io.orchide.model.RuntimeSpec;

import java.util.List;
import java.util.Map;

/** Reads {@code spec} of an App, delegating each section to its reader, and checks rules that span sections. */
public final class SpecReader {
    private SpecReader() {
    }

    public static AppSpec read(Cursor c, Arch nodeArch) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        if (!c.mapping()) return null;
        c.allowOnly("image", "initrd", "runtime", "args", "env", "resources", "restart", "inputs", "outputs",
                "secretMounts", "models");
        String image = c.field("image").hostPath(true);
        String initrd = c.field("initrd").hostPath(false);
        for (String f : List.of("image", "initrd")) {
            String v = f.equals("image") ? image : initrd;
            if (ContentRef.looksLikeOne(v) && ContentRef.hex(v).isEmpty()) {
                c.field(f).error("must be sha256: followed by 64 lowercase hex digits, or a path");
            }
        }
        RuntimeSpec runtime = RuntimeReader.read(c.field("runtime"), nodeArch);
        boolean monitorKnown = runtime != null && runtime.monitor() != null;
        if (initrd != null && monitorKnown && !Compatibility.takesInitrd(runtime.monitor())) {
            c.field("initrd").error(runtime.monitor() + " cannot pass an initrd; only qemu and firecracker can");
        }
        List<String> args = c.field("args").stringList();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        Map<String, io.orchide.model.SecretRef> secretEnv = new java.util.LinkedHashMap<>();
        readEnv(c.field("env"), env, secretEnv);
        if (runtime != null && runtime.family() == Family.NANOS) {
            // qemu boots a Nanos disk with no kernel command line: the image's own manifest carries both
            if (!args.isEmpty()) c.field("args").error("the nanos family takes no args: Nanos reads its program's "
                    + "arguments from the image's manifest (ops' Args, set before the image is built)");
            if (!env.isEmpty() || !secretEnv.isEmpty()) c.field("env").error("the nanos family takes no env: Nanos reads its program's "
                    + "environment from the image's manifest (ops' Env, set before the image is built)");
        }
        Resources resources = ResourcesReader.read(c.field("resources"));
        RestartPolicy restart = RestartReader.read(c.field("restart"));
        boolean blockDevices = monitorKnown && Compatibility.mountsAreBlockDevices(runtime.monitor());
        MountsReader mounts = new MountsReader(!blockDevices);
        List<Mount> inputs = mounts.read(c.field("inputs"), false);
        List<Mount> outputs = mounts.read(c.field("outputs"), true);
        List<io.orchide.model.SecretMount> secretMounts = mounts.readSecretMounts(c.field("secretMounts"));
        if (!secretMounts.isEmpty() && runtime != null && runtime.family() != null && runtime.family().isVirtualMachine()) {
            // a guest's files come from the host through 9p or a block device, both backed by the host's disk
            c.field("secretMounts").error("the " + runtime.family().wire() + " family runs in a virtual machine, whose "
                    + "files the node cannot put on a tmpfs: only process and container workloads take secretMounts; "
                    + "take the value through env {secret: NAME, key: KEY}");
        }
        List<io.orchide.model.ModelUse> models = ModelUseReader.read(c.field("models"));
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs, secretEnv, secretMounts,
                models);
    }

    /**
     * {@code env}: each variable a string, or {@code {secret: NAME, key: KEY}} for a value taken from a Secret of the
     * App's tenant at start.
     */
    private static void readEnv(Cursor c, Map<String, String> env, Map<String, io.orchide.model.SecretRef> secretEnv) {
        c.entries().forEach((name, value) -> {
            String problem = Names.envKeyProblem(name);
            if (problem != null) {
                value.errorWith("\"" + name + "\"", problem);
                return;
            }
            if (!value.present() || value.isList()) {
                value.error("must be a string or {secret: NAME, key: KEY}");
            } else if (value.isMapping()) {
                value.allowOnly("secret", "key");
                String secret = MetadataReader.dnsLabel(value.field("secret"), true);
                String key = value.field("key").requiredString();
                String keyProblem = key == null ? null : SecretReader.keyProblem(key);
                if (keyProblem != null) value.field("key").error(keyProblem);
                else if (secret != null && key != null) secretEnv.put(name, new io.orchide.model.SecretRef(secret, key));
            } else {
                String s = value.string();
                if (s != null) env.put(name, s);
            }
        });
    }
}
