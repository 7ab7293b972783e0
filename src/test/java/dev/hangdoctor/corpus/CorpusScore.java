package dev.hangdoctor.corpus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Accuracy of the diagnosis over the corpus: first finding's category, blocker where named, unrecognised evidence. */
record CorpusScore(List<CorpusVerdict> verdicts) {

    double categoryPercent() {
        return percent(verdicts.stream().filter(CorpusVerdict::categoryRight).count(), verdicts.size());
    }

    List<CorpusVerdict> withBlocker() {
        return verdicts.stream().filter(v -> v.report().blocker() != null).toList();
    }

    /** 100 when no report names a blocker: nothing to get wrong. */
    double blockerPercent() {
        List<CorpusVerdict> named = withBlocker();
        return named.isEmpty() ? 100.0 : percent(named.stream().filter(CorpusVerdict::blockerRight).count(), named.size());
    }

    List<CorpusVerdict> unrecognised() {
        return verdicts.stream().filter(CorpusVerdict::unrecognisedEvidence).toList();
    }

    /** A human-readable summary: rates overall, per category and per shape, then every miss. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("corpus: %d reports; category right %.1f %%; blocker right %.1f %% of %d named;"
                        + " unrecognised with kernel evidence: %d%n",
                verdicts.size(), categoryPercent(), blockerPercent(), withBlocker().size(), unrecognised().size()));
        sb.append(String.format("analysis time: %d ms in all; slowest:", verdicts.stream().mapToLong(CorpusVerdict::millis).sum()));
        verdicts.stream().sorted(java.util.Comparator.comparingLong(CorpusVerdict::millis).reversed()).limit(3)
                .forEach(v -> sb.append(String.format(" %s %d ms;", v.report().name(), v.millis())));
        sb.append('\n');
        breakdown(sb, "per category", v -> List.of(v.report().category()));
        breakdown(sb, "per shape", v -> v.report().shapes());
        sb.append("misses (file: expected -> got):\n");
        for (CorpusVerdict v : verdicts) {
            boolean blockerMiss = v.report().blocker() != null && !v.blockerRight();
            if (!v.categoryRight() || blockerMiss) {
                sb.append(String.format("  %s: %s%s -> %s%s%n", v.report().name(), v.report().category(),
                        v.report().blocker() == null ? "" : " blocker " + v.report().blocker(), v.category(),
                        v.blocker() == null ? "" : " blocker " + v.blocker()));
            }
        }
        return sb.toString();
    }

    private void breakdown(StringBuilder sb, String title, Function<CorpusVerdict, List<String>> keys) {
        Map<String, int[]> byKey = new TreeMap<>();
        for (CorpusVerdict v : verdicts) {
            for (String k : keys.apply(v)) {
                int[] c = byKey.computeIfAbsent(k, x -> new int[2]);
                c[0]++;
                if (v.categoryRight()) {
                    c[1]++;
                }
            }
        }
        sb.append(title).append(":\n");
        byKey.forEach((k, c) -> sb.append(String.format("  %-22s %3d/%-3d %5.1f %%%n", k, c[1], c[0], percent(c[1], c[0]))));
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }
}
