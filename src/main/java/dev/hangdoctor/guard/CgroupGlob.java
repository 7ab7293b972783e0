package dev.hangdoctor.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cgroup path pattern relative to the memory hierarchy: "/docker/*" (one level), "/kubepods/**" (any depth below),
 * "/system.slice/app-?.service"; a pattern without wildcards names one cgroup. Matching is on whole path elements.
 */
public final class CgroupGlob {
    private final String text;
    private final String[] parts;
    private final Pattern[] compiled;

    private CgroupGlob(String text, String[] parts, Pattern[] compiled) {
        this.text = text;
        this.parts = parts;
        this.compiled = compiled;
    }

    /** Parses a pattern; throws IllegalArgumentException with one line when it is not one. */
    public static CgroupGlob parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty cgroup pattern");
        }
        String t = text.trim();
        String[] parts = split(t);
        Pattern[] compiled = new Pattern[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("..") || p.equals(".")) {
                throw new IllegalArgumentException("cgroup pattern '" + text + "' has a '" + p + "' element");
            }
            if (p.contains("**") && !p.equals("**")) {
                throw new IllegalArgumentException("cgroup pattern '" + text + "': '**' must be a whole path element");
            }
            compiled[i] = p.equals("**") ? null : Pattern.compile(toRegex(p));
        }
        return new CgroupGlob(t.startsWith("/") ? t : "/" + t, parts, compiled);
    }

    private static String[] split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String toRegex(String element) {
        StringBuilder b = new StringBuilder();
        for (char c : element.toCharArray()) {
            if (c == '*') {
                b.append("[^/]*");
            } else if (c == '?') {
                b.append("[^/]");
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    /** True when {@code path} ("/docker/abc", "/" for the root) is selected by this pattern. */
    public boolean matches(String path) {
        return match(0, split(path), 0);
    }

    private boolean match(int pi, String[] path, int si) {
        if (pi == parts.length) {
            return si == path.length;
        }
        if (compiled[pi] == null) {
            // "**" takes one or more elements: "/kubepods/**" selects what is below kubepods, not kubepods itself
            for (int k = si + 1; k <= path.length; k++) {
                if (match(pi + 1, path, k)) {
                    return true;
                }
            }
            return false;
        }
        return si < path.length && compiled[pi].matcher(path[si]).matches() && match(pi + 1, path, si + 1);
    }

    /** How deep below the root a match can be: the element count, or -1 when "**" makes it unbounded. */
    public int maxDepth() {
        for (Pattern p : compiled) {
            if (p == null) {
                return -1;
            }
        }
        return parts.length;
    }

    /** True when some path below {@code path} could still match: lets discovery prune the walk. */
    public boolean couldMatchBelow(String path) {
        String[] s = split(path);
        return prefix(0, s, 0);
    }

    private boolean prefix(int pi, String[] path, int si) {
        if (si == path.length) {
            return pi < parts.length;
        }
        if (pi == parts.length) {
            return false;
        }
        if (compiled[pi] == null) {
            return true;
        }
        return compiled[pi].matcher(path[si]).matches() && prefix(pi + 1, path, si + 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
