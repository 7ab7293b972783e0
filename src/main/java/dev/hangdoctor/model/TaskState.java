package dev.hangdoctor.model;

/** A task's scheduler state, folded from the many spellings kernels and tools use. */
public enum TaskState {
    RUNNING("R"), SLEEPING("S"), UNINTERRUPTIBLE("D"), STOPPED("T"), TRACED("t"), ZOMBIE("Z"),
    DEAD("X"), IDLE("I"), PARKED("P"), WAKEKILL("K"), UNKNOWN("?");

    private final String letter;

    TaskState(String letter) {
        this.letter = letter;
    }

    public String letter() {
        return letter;
    }

    /** True for the states a hang leaves tasks in: D, and the killable D variant. */
    public boolean isBlocked() {
        return this == UNINTERRUPTIBLE || this == WAKEKILL;
    }

    /**
     * Parses every spelling seen in evidence: /proc letters ("D", "D (disk sleep)"), crash `ps` columns
     * ("UN", "RU", "IN", "ZO", "ST", "TR", "DE", "ID", "WA", "PA", "NE"), hung-task/sysrq words ("D", "R",
     * "state:D"), and kernel names ("TASK_UNINTERRUPTIBLE").
     */
    public static TaskState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String s = text.trim();
        if (s.startsWith("state:")) {
            s = s.substring(6);
        }
        if (s.isEmpty()) {
            return UNKNOWN;
        }
        switch (s) {
            case "UN", "TASK_UNINTERRUPTIBLE", "D", "DK": return s.equals("DK") ? WAKEKILL : UNINTERRUPTIBLE;
            case "RU", "TASK_RUNNING", "R", "R+": return RUNNING;
            case "IN", "TASK_INTERRUPTIBLE", "S": return SLEEPING;
            case "ZO", "EXIT_ZOMBIE", "Z": return ZOMBIE;
            case "ST", "TASK_STOPPED", "T": return STOPPED;
            case "TR", "TASK_TRACED", "t": return TRACED;
            case "DE", "EXIT_DEAD", "X": return DEAD;
            case "ID", "TASK_IDLE", "I": return IDLE;
            case "PA", "TASK_PARKED", "P": return PARKED;
            case "WA", "TASK_WAKEKILL", "K": return WAKEKILL;
            default: break;
        }
        // "/proc/PID/status" spells "D (disk sleep)"; `ps` adds modifiers ("Ds", "D<", "Sl+").
        char c = s.charAt(0);
        switch (c) {
            case 'D': return UNINTERRUPTIBLE;
            case 'R': return RUNNING;
            case 'S': return SLEEPING;
            case 'Z': return ZOMBIE;
            case 'T': return STOPPED;
            case 't': return TRACED;
            case 'X': return DEAD;
            case 'I': return IDLE;
            case 'P': return PARKED;
            case 'K': return WAKEKILL;
            default: return UNKNOWN;
        }
    }
}
