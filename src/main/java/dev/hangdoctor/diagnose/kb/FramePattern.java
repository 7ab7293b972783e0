package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.Frames;
import dev.hangdoctor.model.Frame;

import java.util.List;

/**
 * A frame name as rules write it: a function ("__getblk"), alternatives for the names different kernels use
 * ("rwsem_down_read_failed|rwsem_down_read_slowpath"), or a prefix ("ovl_*"). Compiler suffixes
 * (".isra.62") always match, as in {@link Frames#sameFunction}; unreliable ("?") frames do only in a stack that has
 * nothing else ({@link Frames#evidence}). A frame the paste cut inside its name ({@link Frame#cut}) matches the names
 * it begins, when at least {@link #MIN_CUT} characters of it are left.
 */
final class FramePattern {
    /** Fewer characters of a cut name begin too many functions to say which. */
    static final int MIN_CUT = 8;

    private FramePattern() {
    }

    /** True when the frame's function matches the pattern; a cut frame's, when it begins a name the pattern gives. */
    static boolean matches(Frame f, String pattern) {
        if (matches(f.function(), pattern)) {
            return true;
        }
        if (!f.cut() || f.function().length() < MIN_CUT) {
            return false;
        }
        for (String alt : pattern.split("\\|")) {
            String name = alt.endsWith("*") ? alt.substring(0, alt.length() - 1) : alt;
            if (name.startsWith(f.function())) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String actual, String pattern) {
        if (pattern.indexOf('|') >= 0) {
            for (String alt : pattern.split("\\|")) {
                if (matchesOne(actual, alt)) {
                    return true;
                }
            }
            return false;
        }
        return matchesOne(actual, pattern);
    }

    private static boolean matchesOne(String actual, String wanted) {
        if (wanted.endsWith("*")) {
            return actual.startsWith(wanted.substring(0, wanted.length() - 1));
        }
        return Frames.sameFunction(actual, wanted);
    }

    /** Like {@link Frames#containsInOrder} with patterns: in order, innermost first, gaps allowed. */
    static boolean containsInOrder(List<Frame> frames, List<String> sequence) {
        int want = 0;
        for (Frame f : Frames.evidence(frames)) {
            if (want == sequence.size()) {
                break;
            }
            if (!f.unreliable() && matches(f, sequence.get(want))) {
                want++;
            }
        }
        return want == sequence.size();
    }

    /** The first reliable frame's function matching the pattern, or null. */
    static String firstMatch(List<Frame> frames, String pattern) {
        for (Frame f : Frames.evidence(frames)) {
            if (!f.unreliable() && matches(f, pattern)) {
                return f.function();
            }
        }
        return null;
    }
}
