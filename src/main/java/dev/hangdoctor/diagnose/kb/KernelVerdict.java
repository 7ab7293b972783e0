package dev.hangdoctor.diagnose.kb;

/** How the host's kernel release relates to the versions a rule names as affected. */
public enum KernelVerdict {
    /** The release is in one of the rule's ranges. */
    IN_RANGE,
    /** The release is in none of them. */
    OUT_OF_RANGE,
    /** The rule names ranges but the evidence gave no (parseable) release. */
    UNKNOWN,
    /** The rule names no ranges: the hang is not tied to kernel versions. */
    NOT_CONSTRAINED
}
