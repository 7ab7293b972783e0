package dev.hangdoctor.diagnose.audit;

/** How a host's kernel stands toward a known hang. */
public enum ExposureVerdict {
    /** The release is in a range the rule names as carrying the bug. */
    EXPOSED("exposed"),
    /** The release is past the upstream fix, but the same hang is still reported on such kernels. */
    STILL_REPORTED("still-reported");

    private final String id;

    ExposureVerdict(String id) {
        this.id = id;
    }

    /** The name used in JSON and on the terminal. */
    public String id() {
        return id;
    }
}
