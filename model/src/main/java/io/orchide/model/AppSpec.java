package io.orchide.model;

import java.util.List;
import java.util.Map;

/**
 * What to run. {@code image} is a file path (kernel, OCI bundle or rootfs directory, OCI image layout);
 * {@code initrd} optionally a file passed to the monitor as initial ramdisk. {@code secretEnv} names the
 * environment variables whose values come from a Secret of the App's tenant when it starts (never written here);
 * {@code models} the {@link Model}s it uses ({@link ModelUse}).
 */
public record AppSpec(String image, String initrd, RuntimeSpec runtime, List<String> args, Map<String, String> env,
                      Resources resources, RestartPolicy restart, List<Mount> inputs, List<Mount> outputs,
                      Map<String, SecretRef> secretEnv, List<SecretMount> secretMounts,
                      List<ModelUse> models) {
    /** Using no model. */
    public AppSpec(String image, String initrd, RuntimeSpec runtime, List<String> args, Map<String, String> env,
                   Resources resources, RestartPolicy restart, List<Mount> inputs, List<Mount> outputs,
                   Map<String, SecretRef> secretEnv, List<SecretMount> secretMounts) {
        this(image, initrd, runtime, args, env, resources, restart, inputs, outputs, secretEnv, secretMounts, List.of());
    }

    /** Without files from secrets. */
    public AppSpec(String image, String initrd, RuntimeSpec runtime, List<String> args, Map<String, String> env,
                   Resources resources, RestartPolicy restart, List<Mount> inputs, List<Mount> outputs,
                   Map<String, SecretRef> secretEnv) {
        this(image, initrd, runtime, args, env, resources, restart, inputs, outputs, secretEnv, List.of());
    }

    /** Without variables or files from secrets. */
    public AppSpec(String image, String initrd, RuntimeSpec runtime, List<String> args, Map<String, String> env,
                   Resources resources, RestartPolicy restart, List<Mount> inputs, List<Mount> outputs) {
        this(image, initrd, runtime, args, env, resources, restart, inputs, outputs, Map.of());
    }

    public AppSpec {
        secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
        secretMounts = secretMounts == null ? List.of() : List.copyOf(secretMounts);
        models = models == null ? List.of() : List.copyOf(models);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? Resources.DEFAULT : resources;
        restart = restart == null ? RestartPolicy.DEFAULT : restart;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A copy with {@code image} and {@code initrd} in place of these (a reference resolved to a file, say). */
    public AppSpec withImages(String image, String initrd) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy with {@code runtime} in place of this one. */
    public AppSpec withRuntime(RuntimeSpec runtime) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy with {@code restart} in place of this policy. */
    public AppSpec withRestart(RestartPolicy restart) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy with {@code inputs} and {@code outputs} in place of these mounts. */
    public AppSpec withMounts(List<Mount> inputs, List<Mount> outputs) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy with {@code env} in place of these variables and no variable left to take from a secret. */
    public AppSpec withEnv(Map<String, String> env) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                Map.of(), secretMounts, models);
    }

    /** A copy with {@code secretMounts} in place of these (none: the files are mounts of their own now). */
    public AppSpec withSecretMounts(List<SecretMount> secretMounts) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy with {@code secretEnv} in place of these references. */
    public AppSpec withSecretEnv(Map<String, SecretRef> secretEnv) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs,
                secretEnv, secretMounts, models);
    }

    /** A copy using {@code models} in place of these. */
    public AppSpec withModels(List<ModelUse> models) {
        return new AppSpec(image, initrd, runtime, args, env, resources, restart, inputs, outputs, secretEnv, secretMounts,
                models);
    }

    /**
     * Whether it runs on the host itself, as a container or a process (its image a root filesystem or a program),
     * rather than in a virtual machine; false while its runtime family is not given.
     */
    public boolean runsOnHost() {
        return runtime != null && runtime.family() != null && !runtime.family().isVirtualMachine();
    }
}
