package dev.hangdoctor.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean": the known names closest to a misspelt one, for one-line config errors. Ids are dash-separated words
 * that people put in another order ("hung-fuse-daemon" for "fuse-daemon-hung"), so shared words count first, then
 * the edit distance.
 */
public final class NearestNames {
    private NearestNames() {
    }

    /** Up to {@code max} of {@code known}, closest to {@code name} first (ties in name order). */
    public static List<String> of(String name, Collection<String> known, int max) {
        return known.stream().distinct()
                .sorted(Comparator.<String>comparingInt(k -> -sharedWords(name, k))
                        .thenComparingInt(k -> distance(name, k)).thenComparing(Comparator.naturalOrder()))
                .limit(max).toList();
    }

    static int sharedWords(String a, String b) {
        java.util.Set<String> x = java.util.Set.of(a.toLowerCase(java.util.Locale.ROOT).split("[-_.]+"));
        return (int) java.util.Arrays.stream(b.toLowerCase(java.util.Locale.ROOT).split("[-_.]+")).distinct()
                .filter(x::contains).count();
    }

    /** Levenshtein distance, case-insensitive (ids are lower case; people type them however). */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int sub = prev[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
