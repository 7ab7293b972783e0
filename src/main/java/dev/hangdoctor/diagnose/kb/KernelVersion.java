package dev.hangdoctor.diagnose.kb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A kernel release string ordered the way distributions number their builds: the upstream version
 * ("3.10.0"), an upstream release candidate ("-rc1" sorts before the final), then the numeric release
 * components up to the first non-numeric one ("514.16.1" in 3.10.0-514.16.1.el7), then what is left as text.
 * Architecture suffixes (.x86_64) and ".centos" say nothing about the code, so they are dropped.
 */
public final class KernelVersion implements Comparable<KernelVersion> {
    private static final String[] IGNORED_SUFFIXES = {
        ".x86_64", ".aarch64", ".i686", ".i386", ".ppc64le", ".ppc64", ".s390x", ".armv7hl", ".noarch", ".centos"};

    private final String text;
    private final int[] upstream;
    /** Release candidate number, or Integer.MAX_VALUE for a final release (so finals sort after their rcs). */
    private final int rc;
    private final long[] release;
    private final String rest;

    private KernelVersion(String text, int[] upstream, int rc, long[] release, String rest) {
        this.text = text;
        this.upstream = upstream;
        this.rc = rc;
        this.release = release;
        this.rest = rest;
    }

    /**
     * Parses a release as `uname -r` prints it: "3.10.0-1160.119.1.el7.x86_64", "5.15.0-91-generic", "6.12.0-rc1".
     * Throws IllegalArgumentException when it does not start with an "N.N" version.
     */
    public static KernelVersion parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("no kernel version");
        }
        String t = s.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String suffix : IGNORED_SUFFIXES) {
                if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                    lower = lower.substring(0, lower.length() - suffix.length());
                    stripped = true;
                }
            }
        }
        int i = 0;
        List<Integer> up = new ArrayList<>(3);
        while (true) {
            int start = i;
            while (i < lower.length() && Character.isDigit(lower.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9) {
                break;
            }
            up.add(Integer.parseInt(lower.substring(start, i)));
            if (i < lower.length() && lower.charAt(i) == '.' && i + 1 < lower.length()
                    && Character.isDigit(lower.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (up.size() < 2) {
            throw new IllegalArgumentException("not a kernel version: '" + s + "'");
        }
        while (up.size() < 3) {
            up.add(0);
        }
        String tail = lower.substring(i);
        if (!tail.isEmpty() && ".-_+~".indexOf(tail.charAt(0)) < 0) {
            throw new IllegalArgumentException("not a kernel version: '" + s + "'");
        }
        List<String> tokens = new ArrayList<>();
        for (String tok : tail.split("[.\\-_+~]")) {
            if (!tok.isEmpty()) {
                tokens.add(tok);
            }
        }
        int rc = Integer.MAX_VALUE;
        int k = 0;
        if (!tokens.isEmpty() && tokens.get(0).matches("rc\\d{1,6}")) {
            rc = Integer.parseInt(tokens.get(0).substring(2));
            k = 1;
        }
        List<Long> rel = new ArrayList<>();
        while (k < tokens.size() && tokens.get(k).matches("\\d{1,18}")) {
            rel.add(Long.parseLong(tokens.get(k)));
            k++;
        }
        String rest = String.join(".", tokens.subList(k, tokens.size()));
        return new KernelVersion(t, up.stream().mapToInt(Integer::intValue).toArray(), rc,
                rel.stream().mapToLong(Long::longValue).toArray(), rest);
    }

    /** Like {@link #parse} but null for text that is not a kernel version. */
    public static KernelVersion tryParse(String s) {
        try {
            return parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The string as given. */
    public String text() {
        return text;
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = compareArrays(upstream, o.upstream);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(rc, o.rc);
        if (c != 0) {
            return c;
        }
        int n = Math.max(release.length, o.release.length);
        for (int i = 0; i < n; i++) {
            // a missing component sorts first: 1160 < 1160.119.1, and 3.10.0 < 3.10.0-1
            long a = i < release.length ? release[i] : -1;
            long b = i < o.release.length ? o.release[i] : -1;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        return rest.compareTo(o.rest);
    }

    private static int compareArrays(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelVersion k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        // compareTo pads the upstream version with zeros (3.10 == 3.10.0 == 3.10.0.0): so must the hash
        int n = upstream.length;
        while (n > 0 && upstream[n - 1] == 0) {
            n--;
        }
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = 31 * h + upstream[i];
        }
        return Objects.hash(h, rc, java.util.Arrays.hashCode(release), rest);
    }

    @Override
    public String toString() {
        return text;
    }
}
