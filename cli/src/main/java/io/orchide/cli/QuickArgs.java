package io.orchide.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a client verb's plain command line (long and short options with a value or none, positional parameters)
 * straight onto its picocli-annotated fields, without building picocli's command model: picocli's jar is old
 * bytecode that the JVM's class cache cannot keep, and building the model by reflection cost every verb most of
 * its start-up. Anything it does not handle exactly as picocli would (help, an unknown or missing option, a value
 * that does not convert, a bundle of short options, {@code --}) makes it give up before the command has run, and
 * the command line goes to picocli, which parses it anew and says what is wrong.
 */
final class QuickArgs {
    /** The command line is not one this class binds; picocli takes it. */
    static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private record Opt(Object target, Field field, Option spec) {
    }

    private record Param(Object target, Field field, Parameters spec) {
    }

    private final Map<String, Opt> options = new HashMap<>();
    private final List<Opt> all = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();

    private final String verb;

    private QuickArgs(String verb) {
        this.verb = verb;
    }

    /** Sets the fields of {@code command} (and of its mixins) from {@code args}, the verb {@code verb} left out. */
    static void bind(Object command, String verb, List<String> args) throws Unsupported {
        QuickArgs q = new QuickArgs(verb);
        q.collect(command, true);
        q.apply(args);
    }

    private void collect(Object target, boolean top) throws Unsupported {
        for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                if (f.isAnnotationPresent(picocli.CommandLine.Spec.class)) throw new Unsupported("@Spec field");
                Option o = f.getAnnotation(Option.class);
                Parameters p = f.getAnnotation(Parameters.class);
                Mixin m = f.getAnnotation(Mixin.class);
                if (o == null && p == null && m == null) continue;
                f.setAccessible(true);
                if (m != null) {
                    if (!top) throw new Unsupported("nested mixin");
                    Object mixin = mixin(target, f);
                    if (mixin instanceof ResourceRef ref) ref.verb = verb; // what picocli's @Spec(MIXEE) gives it
                    collect(mixin, false);
                } else if (o != null) {
                    if (o.arity().length() > 0 || o.split().length() > 0 || o.help() || o.usageHelp()
                            || o.versionHelp() || o.converter().length > 0) {
                        throw new Unsupported("option attributes");
                    }
                    Opt opt = new Opt(target, f, o);
                    all.add(opt);
                    for (String n : o.names()) options.put(n, opt);
                } else {
                    if (p.split().length() > 0 || p.converter().length > 0) throw new Unsupported("parameter attributes");
                    params.add(new Param(target, f, p));
                }
            }
        }
    }

    private static Object mixin(Object target, Field f) throws Unsupported {
        try {
            Object m = f.get(target);
            if (m == null) {
                var ctor = f.getType().getDeclaredConstructor();
                ctor.setAccessible(true);
                m = ctor.newInstance();
                f.set(target, m);
            }
            return m;
        } catch (ReflectiveOperationException e) {
            throw new Unsupported("mixin " + f.getName());
        }
    }

    private void apply(List<String> args) throws Unsupported {
        List<String> positional = new ArrayList<>();
        java.util.Set<Opt> given = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--") || a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                throw new Unsupported(a);
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            Opt o = options.get(name);
            if (o == null) throw new Unsupported("unknown option " + name);
            Class<?> type = o.field().getType();
            if (type == boolean.class || type == Boolean.class) {
                if (value != null) throw new Unsupported("a value for a flag");
                if (!given.add(o)) throw new Unsupported("flag given twice");
                set(o.target(), o.field(), Boolean.TRUE);
            } else {
                if (value == null) {
                    if (i + 1 >= args.size()) throw new Unsupported("no value for " + name);
                    value = args.get(++i);
                    if (value.startsWith("-") && !value.equals("-") && options.containsKey(value)) {
                        throw new Unsupported("an option where a value should be");
                    }
                }
                if (List.class.isAssignableFrom(type)) add(o, value);
                else if (!given.add(o)) throw new Unsupported("option given twice");
                else set(o.target(), o.field(), convert(o.field(), type, value));
                given.add(o);
            }
        }
        for (Opt o : all) {
            if (given.contains(o)) continue;
            if (o.spec().required()) throw new Unsupported("missing " + o.spec().names()[0]);
            if (!o.spec().defaultValue().equals(Option.NULL_VALUE) && !o.spec().defaultValue().startsWith("__")) {
                set(o.target(), o.field(), convert(o.field(), o.field().getType(), o.spec().defaultValue()));
            }
        }
        bindPositional(positional);
    }

    private void bindPositional(List<String> positional) throws Unsupported {
        int used = 0;
        for (Param p : params) {
            String index = p.spec().index();
            String arity = p.spec().arity();
            Class<?> type = p.field().getType();
            if (List.class.isAssignableFrom(type)) {
                if (!index.isEmpty() || params.size() != 1) throw new Unsupported("a list beside other parameters");
                int[] range = range(arity.isEmpty() ? "0..*" : arity);
                if (positional.size() < range[0] || positional.size() > range[1]) throw new Unsupported("arity");
                for (String v : positional) add(p.target(), p.field(), v);
                used = positional.size();
                continue;
            }
            if (!index.matches("[0-9]+")) throw new Unsupported("parameter index " + index);
            int at = Integer.parseInt(index);
            boolean optional = arity.equals("0..1");
            if (!arity.isEmpty() && !optional && !arity.equals("1")) throw new Unsupported("arity " + arity);
            if (at < positional.size()) {
                set(p.target(), p.field(), convert(p.field(), type, positional.get(at)));
                used = Math.max(used, at + 1);
            } else if (!optional) {
                throw new Unsupported("missing parameter " + at);
            }
        }
        if (used < positional.size()) throw new Unsupported("unmatched parameter " + positional.get(used));
    }

    private static int[] range(String arity) throws Unsupported {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)(?:\\.\\.([0-9]+|\\*))?").matcher(arity);
        if (!m.matches()) throw new Unsupported("arity " + arity);
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : m.group(2).equals("*") ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        return new int[]{lo, hi};
    }

    private static Object convert(Field f, Class<?> type, String v) throws Unsupported {
        try {
            if (type == String.class) return v;
            if (type == int.class || type == Integer.class) return Integer.valueOf(v);
            if (type == long.class || type == Long.class) return Long.valueOf(v);
            if (type == Path.class) return Path.of(v);
        } catch (RuntimeException e) {
            throw new Unsupported("cannot convert " + v);
        }
        throw new Unsupported("type " + type.getSimpleName() + " of " + f.getName());
    }

    private void add(Opt o, String value) throws Unsupported {
        add(o.target(), o.field(), value);
    }

    @SuppressWarnings("unchecked")
    private static void add(Object target, Field f, String value) throws Unsupported {
        if (!(f.getGenericType() instanceof ParameterizedType pt) || pt.getActualTypeArguments()[0] != String.class) {
            throw new Unsupported("list type of " + f.getName());
        }
        try {
            List<String> l = (List<String>) f.get(target);
            if (l == null) {
                l = new ArrayList<>();
                f.set(target, l);
            }
            l.add(value);
        } catch (IllegalAccessException e) {
            throw new Unsupported(f.getName());
        }
    }

    private static void set(Object target, Field f, Object value) throws Unsupported {
        try {
            f.set(target, value);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new Unsupported(f.getName());
        }
    }
}
