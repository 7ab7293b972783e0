package dev.hangdoctor.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warnings of one reading or scan, with repeats of one kind folded into one line: warnings that differ only in their
 * numbers (a long log that spans a reboot a hundred times) are one kind, shown once with a count and the first few
 * places where the others differ from the first.
 */
public final class Warnings {
    /** Kinds kept; a pathological input cannot grow the list further. */
    private static final int MAX_KINDS = 100;
    /** Further examples named beside the first warning of a kind. */
    private static final int EXAMPLES = 3;

    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    /** One kind: its first warning, how many there were, and the first few after it. */
    private static final class Kind {
        final String first;
        final List<String> others = new ArrayList<>();
        long count;

        Kind(String first) {
            this.first = first;
        }
    }

    /** Records one warning; an identical one again is not counted twice. */
    public void add(String w) {
        add(w, 1, List.of());
    }

    private void add(String w, long count, List<String> others) {
        Kind k = kinds.get(kindOf(w));
        if (k == null) {
            if (kinds.size() >= MAX_KINDS) {
                return;
            }
            k = new Kind(w);
            kinds.put(kindOf(w), k);
            k.count = count;
            for (String o : others) {
                addOther(k, o);
            }
            return;
        }
        if (count == 1 && (k.first.equals(w) || k.others.contains(w))) {
            return;
        }
        k.count += count;
        addOther(k, w);
        for (String o : others) {
            addOther(k, o);
        }
    }

    private static void addOther(Kind k, String w) {
        if (!k.first.equals(w) && k.others.size() < EXAMPLES && !k.others.contains(w)) {
            k.others.add(w);
        }
    }

    /** Folds another set in (one file's warnings into the whole), counts included. */
    public void addAll(Warnings o) {
        o.kinds.values().forEach(k -> add(k.first, k.count, k.others));
    }

    /** One line per kind, in the order the kinds were first seen. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(kinds.size());
        for (Kind k : kinds.values()) {
            if (k.count == 1) {
                out.add(k.first);
                continue;
            }
            StringBuilder b = new StringBuilder(k.first).append(" (").append(k.count).append(" times");
            String sep = "; then ";
            for (String o : k.others) {
                b.append(sep).append(difference(k.first, o));
                sep = ", ";
            }
            out.add(b.append(k.count > k.others.size() + 1 ? ", ...)" : ")").toString());
        }
        return out;
    }

    /** The kind of a warning: its text with every run of digits made one mark. */
    static String kindOf(String w) {
        StringBuilder b = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c >= '0' && c <= '9') {
                if (b.length() == 0 || b.charAt(b.length() - 1) != '#') {
                    b.append('#');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Where {@code other} differs from {@code first}, with the word before a number ("line 2045" rather than
     * "2045"): the text between their common start and common end.
     */
    static String difference(String first, String other) {
        int p = 0;
        while (p < first.length() && p < other.length() && first.charAt(p) == other.charAt(p)) {
            p++;
        }
        while (p > 0 && Character.isDigit(other.charAt(p - 1))) {
            p--;
        }
        int s = 0;
        while (s < first.length() - p && s < other.length() - p
                && first.charAt(first.length() - 1 - s) == other.charAt(other.length() - 1 - s)) {
            s++;
        }
        int end = other.length() - s;
        while (end < other.length() && Character.isDigit(other.charAt(end))) {
            end++;
        }
        int word = p;
        if (word > 0 && other.charAt(word - 1) == ' ') {
            word--;
            while (word > 0 && Character.isLetter(other.charAt(word - 1))) {
                word--;
            }
        }
        return other.substring(word, Math.max(end, p)).strip();
    }
}
