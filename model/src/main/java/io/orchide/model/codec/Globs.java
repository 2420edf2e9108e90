package io.orchide.model.codec;

/**
 * Checks file name globs of onData triggers: {@code *}, {@code ?}, {@code [abc]}, {@code [a-z]}, {@code {a,b}}
 * (not nested), {@code **} across directories, a backslash escaping the next character; relative, no '..'.
 */
final class Globs {
    private Globs() {
    }

    /** What is wrong with {@code glob}, or null when it is valid. */
    static String problem(String glob) {
        if (glob.startsWith("/")) return "must be relative to the watched directory (not start with /)";
        if (glob.indexOf('\0') >= 0) return "must not contain a NUL character";
        for (String part : glob.split("/")) if (part.equals("..")) return "must not contain '..'";
        boolean inClass = false;
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\') {
                if (++i == glob.length()) return "ends with a lone backslash";
            } else if (inClass) {
                if (c == ']') inClass = false;
            } else if (c == '[') {
                inClass = true;
            } else if (c == '{') {
                if (inGroup) return "nests {} groups, which globs do not allow";
                inGroup = true;
            } else if (c == '}') {
                if (!inGroup) return "has a } without its {";
                inGroup = false;
            }
        }
        if (inClass) return "has a [ without its ]";
        if (inGroup) return "has a { without its }";
        return null;
    }
}
