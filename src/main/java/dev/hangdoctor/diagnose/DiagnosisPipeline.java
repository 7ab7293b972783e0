package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.model.Evidence;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evidence to diagnosis with the configured rules — the built-in knowledge base plus the site's rule directories —
 * loaded once. Every command and the node agent diagnose through one of these, so an incident, its report page and
 * a later {@code analyze} of its bundle agree on the rules used.
 */
public final class DiagnosisPipeline {
    private final KnowledgeBase kb;
    private final Diagnoser diagnoser;

    private DiagnosisPipeline(KnowledgeBase kb) {
        this.kb = kb;
        this.diagnoser = new Diagnoser(kb);
    }

    /** The built-in rules and then each site directory in order (a site rule replaces a built-in of the same id). */
    public static DiagnosisPipeline withRules(List<Path> siteRuleDirs) {
        return new DiagnosisPipeline(KnowledgeBase.load(siteRuleDirs));
    }

    /** A pipeline over rules already loaded (tests, tools that build a knowledge base themselves). */
    public static DiagnosisPipeline of(KnowledgeBase kb) {
        return new DiagnosisPipeline(kb);
    }

    public Diagnosis diagnose(Evidence evidence) {
        return diagnoser.diagnose(evidence);
    }

    /** The rules in use (the audit reads their version ranges). */
    public KnowledgeBase knowledgeBase() {
        return kb;
    }

    /** The ids of the rules in use: the signatures a finding can have. */
    public Set<String> signatures() {
        Set<String> ids = new TreeSet<>();
        for (Rule r : kb.rules()) {
            ids.add(r.id());
        }
        return ids;
    }
}
