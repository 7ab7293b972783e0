package dev.hangdoctor.corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every corpus report carries a well-formed .meta: its origin, the source's category, and a blocker only if the text names it. */
class CorpusFormatTest {

    private static final Set<String> CATEGORIES = Set.of("jbd2", "memcg-oom", "fuse", "nfs", "uffd", "rwsem-mmap",
            "pidns-zap", "cfs-bandwidth-lockup", "soft-lockup", "hard-lockup", "rcu-stall", "block-io", "overlayfs",
            "xfs", "other");
    private static final Set<String> SHAPES = Set.of("plain", "email-quoted", "indented", "wrapped", "markdown",
            "html-entities", "quoted-printable", "partial", "one-line", "crash", "sysrq", "proc-stack", "perf");
    private static final Set<String> ARCHES = Set.of("x86_64", "i686", "aarch64", "ppc64le", "s390x", "armv7", "loongarch64", "unknown");
    private static final List<String> KEYS = List.of("source", "title", "kernel", "arch", "shape", "category", "conclusion");

    @Test
    void everyReportHasACompleteMeta() {
        List<String> problems = new ArrayList<>();
        List<CorpusReport> all = CorpusReport.all();
        assertThat(all).isNotEmpty();
        for (CorpusReport r : all) {
            if (!Files.isRegularFile(CorpusReport.metaOf(r.text()))) {
                problems.add(r.name() + ": no .meta");
                continue;
            }
            for (String k : KEYS) {
                if (r.meta().getOrDefault(k, "").isBlank()) {
                    problems.add(r.name() + ": no " + k);
                }
            }
            if (!CATEGORIES.contains(r.category())) {
                problems.add(r.name() + ": unknown category " + r.category());
            }
            if (!ARCHES.contains(r.meta().getOrDefault("arch", ""))) {
                problems.add(r.name() + ": unknown arch " + r.meta().get("arch"));
            }
            r.shapes().stream().filter(s -> !SHAPES.contains(s)).forEach(s -> problems.add(r.name() + ": unknown shape " + s));
            if (r.blocker() != null && !r.body().matches("(?s).*\\b" + r.blocker() + "\\b.*")) {
                problems.add(r.name() + ": blocker " + r.blocker() + " does not appear in the text");
            }
            if (r.body().isBlank()) {
                problems.add(r.name() + ": empty report");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noTextWithoutMetaAndNoMetaWithoutText() throws Exception {
        try (var s = Files.list(CorpusReport.DIR)) {
            List<String> orphans = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".meta"))
                    .filter(n -> !Files.exists(CorpusReport.DIR.resolve(n.replaceAll("\\.meta$", ".txt"))))
                    .toList();
            assertThat(orphans).as(".meta without its .txt").isEmpty();
        }
    }
}
