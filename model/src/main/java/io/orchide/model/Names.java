package io.orchide.model;

import java.util.regex.Pattern;

/** Naming rules of manifests. Each check returns null when the name is valid, else what is wrong with it. */
public final class Names {
    /** Longest DNS-1123 label. */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL_PREFIX =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private Names() {
    }

    /** App, tenant and mount names: a DNS-1123 label. */
    public static String dnsLabelProblem(String s) {
        if (s.length() > MAX_LABEL_LENGTH) return "must be at most 63 characters long (has " + s.length() + ")";
        if (!DNS_LABEL.matcher(s).matches()) {
            return "must be a DNS-1123 label: lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit";
        }
        return null;
    }

    /** Environment variable names: {@code [A-Za-z_][A-Za-z0-9_]*}. */
    public static String envKeyProblem(String s) {
        return ENV_KEY.matcher(s).matches() ? null
                : "is not a valid environment variable name: must match [A-Za-z_][A-Za-z0-9_]*";
    }

    /** Label keys: an optional DNS subdomain prefix and '/', then a name of letters, digits, '-', '_' and '.'. */
    public static String labelKeyProblem(String s) {
        int slash = s.indexOf('/');
        String prefix = slash < 0 ? null : s.substring(0, slash);
        String name = slash < 0 ? s : s.substring(slash + 1);
        if (prefix != null && (prefix.length() > 253 || !LABEL_PREFIX.matcher(prefix).matches())) {
            return "is not a valid label key: the prefix before '/' must be a DNS subdomain";
        }
        if (name.length() > MAX_LABEL_LENGTH || !LABEL_NAME.matcher(name).matches()) {
            return "is not a valid label key: at most 63 letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit";
        }
        return null;
    }
}
