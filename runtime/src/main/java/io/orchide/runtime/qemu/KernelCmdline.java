package io.orchide.runtime.qemu;

import io.orchide.model.AppSpec;
import io.orchide.model.Family;
import io.orchide.runtime.LaunchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The kernel command line ({@code -append}) of each family.
 *
 * <ul>
 *   <li>multiboot, mirage: the args joined by spaces; env is rejected (no convention).</li>
 *   <li>nanos, and osv booted from its disk image: none. Such images carry their program's arguments and
 *       environment in the image (Nanos' manifest, OSv's {@code imgedit.py setargs}), and qemu refuses
 *       {@code -append} without {@code -kernel}: args and env are rejected with that reason.</li>
 *   <li>linux: the args; env as {@code K=V} words before any {@code --}, which the kernel hands to init as its
 *       environment.</li>
 *   <li>unikraft built with library parameters (a {@code .uk_libparam} section): {@code <library params> -- <app args>},
 *       env as {@code env.vars=[ K=V ... ]}, the initrd and the 9p shares as
 *       {@code vfs.fstab=[ "initrd0:/:extract::" "tag:/path:9pfs:::mkmp" ... ]}. Built without them, the whole
 *       command line is the application's: only the args, no {@code --} (which the application would see as an
 *       argument); env and shares cannot be passed and are rejected, an initrd is mounted as the image was built
 *       to.</li>
 *   <li>osv: {@code --env=K=V ...} then the args as the command.</li>
 * </ul>
 * A word containing spaces is quoted ({@code key="a b"}, {@code "a b"}).
 */
public final class KernelCmdline {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private KernelCmdline() {
    }

    /**
     * @param libParams  a Unikraft image has library parameters (see {@code KernelImage#hasUnikraftLibParams})
     * @param diskBoot   the image boots as a disk (Nanos, OSv's usr.img): there is no kernel command line
     */
    public static String build(AppSpec spec, Family family, List<SharedDir> dirs, boolean libParams, boolean diskBoot)
            throws LaunchException {
        if (diskBoot) return noCommandLine(spec, family);
        Map<String, String> env = new TreeMap<>(spec.env());
        for (var e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches())
                throw new LaunchException("spec.env." + e.getKey(), e.getKey(), "not a valid environment variable name");
            if (e.getValue().indexOf('"') >= 0)
                throw new LaunchException("spec.env." + e.getKey(), e.getValue(), "a kernel command line cannot carry '\"'");
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < spec.args().size(); i++) {
            String a = spec.args().get(i);
            if (a.indexOf('"') >= 0 && !(family == Family.MULTIBOOT || family == Family.LINUX || family == Family.UNIKRAFT))
                throw new LaunchException("spec.args[" + i + "]", a, "a kernel command line cannot carry '\"'");
            args.add(a);
        }
        return switch (family) {
            case UNIKRAFT -> libParams ? unikraft(spec, env, args, dirs) : unikraftWithoutParams(env, args, dirs);
            case OSV -> join(prefixed(env, "--env="), quoted(args));
            case LINUX -> linux(env, args);
            case MULTIBOOT, MIRAGE -> {
                if (!env.isEmpty())
                    throw new LaunchException("spec.env", env.keySet().toString(),
                            "the " + family + " family has no way to receive environment variables; pass them as args");
                yield join(quoted(args));
            }
            default -> throw new LaunchException("spec.runtime.family", family.wire(), "not a qemu family");
        };
    }

    private static String noCommandLine(AppSpec spec, Family family) throws LaunchException {
        boolean nanos = family == Family.NANOS;
        if (!spec.args().isEmpty())
            throw new LaunchException("spec.args", spec.args().toString(), nanos
                    ? "Nanos reads its program's arguments from the image's manifest (ops' Args, then build the image "
                    + "again): a disk boot takes no kernel command line"
                    : "an OSv disk image (usr.img) carries its own command line (scripts/imgedit.py setargs): boot "
                    + "loader.elf as the image to pass arguments here");
        if (!spec.env().isEmpty())
            throw new LaunchException("spec.env", spec.env().keySet().toString(), nanos
                    ? "Nanos reads its program's environment from the image's manifest (ops' Env, then build the "
                    + "image again): a disk boot takes no kernel command line"
                    : "an OSv disk image (usr.img) carries its own command line, where env goes as --env=K=V "
                    + "(scripts/imgedit.py setargs): boot loader.elf as the image to pass env here");
        return "";
    }

    private static String unikraftWithoutParams(Map<String, String> env, List<String> args, List<SharedDir> dirs)
            throws LaunchException {
        String why = "the image was built without Unikraft's library parameters (no .uk_libparam section), so ";
        if (!env.isEmpty())
            throw new LaunchException("spec.env", env.keySet().toString(), why + "it cannot be given environment variables");
        if (!dirs.isEmpty())
            throw new LaunchException(dirs.getFirst().field() + ".mountPath", dirs.getFirst().mountPath(),
                    why + "it cannot be told to mount a share");
        return join(quoted(args));
    }

    private static String unikraft(AppSpec spec, Map<String, String> env, List<String> args, List<SharedDir> dirs) {
        List<String> params = new ArrayList<>();
        if (!env.isEmpty()) params.add("env.vars=[ " + String.join(" ", prefixed(env, "")) + " ]");
        List<String> fstab = new ArrayList<>();
        if (spec.initrd() != null && !spec.initrd().isBlank()) fstab.add("\"initrd0:/:extract::\"");
        for (SharedDir d : dirs)
            fstab.add("\"" + d.tag() + ":" + d.mountPath() + ":9pfs:::mkmp\"");
        if (!fstab.isEmpty()) params.add("vfs.fstab=[ " + String.join(" ", fstab) + " ]");
        if (params.isEmpty() && args.isEmpty()) return "";
        return join(params, List.of("--"), quoted(args));
    }

    private static String linux(Map<String, String> env, List<String> args) {
        List<String> q = quoted(args);
        int dashes = q.indexOf("--");
        List<String> before = dashes < 0 ? q : q.subList(0, dashes);
        List<String> after = dashes < 0 ? List.of() : q.subList(dashes, q.size());
        return join(before, prefixed(env, ""), after);
    }

    private static List<String> prefixed(Map<String, String> env, String prefix) {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(prefix + quote(k + "=" + v)));
        return out;
    }

    private static List<String> quoted(List<String> words) {
        return words.stream().map(KernelCmdline::quote).toList();
    }

    /** {@code a b} -> {@code "a b"}, {@code k=a b} -> {@code k="a b"}; words without blanks are kept. */
    static String quote(String word) {
        if (word.isEmpty()) return "\"\"";
        if (word.chars().noneMatch(Character::isWhitespace) || word.indexOf('"') >= 0) return word;
        int eq = word.indexOf('=');
        if (eq > 0 && word.substring(0, eq).chars().noneMatch(Character::isWhitespace))
            return word.substring(0, eq + 1) + "\"" + word.substring(eq + 1) + "\"";
        return "\"" + word + "\"";
    }

    @SafeVarargs
    private static String join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return String.join(" ", all).strip();
    }
}
