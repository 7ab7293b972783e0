package dev.hangdoctor.diagnose.kb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the report's own words deny what they name: the mention follows a negation in the same clause with only
 * small words between ("this isn't FUSE", "it is not caused by the NFS client", "no NFS mounts here", "we ruled out
 * the disk", "should run without soft lockups"). A negation of a verb does not deny what follows the verb ("the
 * server was not responding to nfs client machines", "couldn't access to nvme disk": both say the mention is where
 * the trouble is). A check the writer still means to make names a suspect, not a denial ("to make sure it is not
 * the NFS client", "to rule out the disk", "whether it is not NFS", "can't rule out NFS").
 */
final class Negation {
    /** A word that denies (contractions with n't in straight or curly quotes), then up to four small words. */
    private static final Pattern DENIAL = Pattern.compile("(?i)\\b(?:not|no|never|nor|neither|none|without|cannot"
            + "|\\w+n['\u2019]t|rule[sd]? out|ruling out|exclude[sd]?|excluding)"
            + "(?:\\s+(?:the|a|an|any|it|its|this|that|these|those|is|was|are|were|be|been|being|due|to|caused|by"
            + "|related|using|use|used|on|over|via|from|in|with|of|our|my|your|their|local|remote|really|even"
            + "|necessarily|just|only|actually)){0,4}\\s*$");

    /** Earlier in the clause than a denial: the writer sets out to check, so the mention is a suspect. */
    private static final Pattern CHECK = Pattern.compile("(?i)\\b(?:(?:make|makes|making|made) sure|whether|in case)\\b");

    /** Right before a denial: it is what the writer means to do or cannot do ("to rule out", "can't exclude"). */
    private static final Pattern CHECK_VERB = Pattern.compile("(?i)\\b(?:to|can['\u2019]?t|cannot|could(?:n['\u2019]t| not))\\s*$");

    /** What ends a clause: punctuation, or a conjunction that begins another statement. */
    private static final Pattern CLAUSE_END = Pattern.compile(
            "(?i)[.,:](?:\\s|$)|[;!?()\\[\\]]|\\s(?:but|and|however|although|though|because|since|while|when|so|yet|then)\\s");

    private Negation() {
    }

    /** True when the clause holding {@code at} denies what starts there. */
    static boolean negated(String text, int at) {
        String before = text.substring(0, at);
        int start = 0;
        Matcher end = CLAUSE_END.matcher(before);
        while (end.find()) {
            start = end.end();
        }
        String clause = before.substring(start);
        Matcher denial = DENIAL.matcher(clause);
        if (!denial.find()) {
            return false;
        }
        String lead = clause.substring(0, denial.start());
        return !CHECK.matcher(lead).find() && !CHECK_VERB.matcher(lead).find();
    }

    /** The first match of the pattern the text does not deny, or null. */
    static Matcher firstAffirmed(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (!negated(text, m.start())) {
                return m;
            }
        }
        return null;
    }
}
