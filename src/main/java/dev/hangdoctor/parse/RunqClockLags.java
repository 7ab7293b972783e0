package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;

import java.util.Map;
import java.util.TreeMap;

/**
 * crash's {@code runq -T} ("CPU 22: 7.75 secs"): each CPU's runqueue clock behind the most recent one. A busy CPU
 * updates its clock at every scheduler tick, so one running a task that lags by seconds took no tick that long:
 * interrupts off. An idle CPU lags too on a tickless kernel (NO_HZ), so the lag counts only when a crash {@code bt}
 * names the task on that CPU and it is not an idle task; then the CPU that lags most is reported, with its task.
 */
final class RunqClockLags {
    /**
     * Seconds without a tick that no running CPU shows by itself: nohz_full keeps a 1 Hz residual tick, and the hard
     * lockup detector's own threshold is 10 s.
     */
    static final double MIN_LAG_SECONDS = 5.0;
    /** Bounded like every other reader: more CPUs than any machine has are not kept. */
    private static final int MAX_CPUS = 8192;

    private final Map<Integer, Double> lagByCpu = new TreeMap<>();
    private final Map<Integer, String> lineByCpu = new TreeMap<>();

    /** Reads {@code CPU N: S.SS secs}; false when the line is not one. */
    boolean read(String t) {
        if (!t.startsWith("CPU ") || !t.endsWith(" secs")) {
            return false;
        }
        int colon = t.indexOf(':');
        if (colon < 5) {
            return false;
        }
        Integer cpu = TaskLineParser.parseIntOrNull(t.substring(4, colon).strip());
        String secs = t.substring(colon + 1, t.length() - 5).strip();
        if (cpu == null || cpu < 0 || secs.isEmpty()) {
            return false;
        }
        for (int k = 0; k < secs.length(); k++) {
            char c = secs.charAt(k);
            if (!(FrameLineParser.isDigit(c) || c == '.')) {
                return false;
            }
        }
        double lag;
        try {
            lag = Double.parseDouble(secs);
        } catch (NumberFormatException e) {
            return false;
        }
        if (lagByCpu.size() < MAX_CPUS || lagByCpu.containsKey(cpu)) {
            lagByCpu.put(cpu, lag);
            lineByCpu.put(cpu, t);
        }
        return true;
    }

    /**
     * The evidence is complete: the CPU that lags most, when it lags {@link #MIN_LAG_SECONDS} or more and a task the
     * evidence shows on it is not idle, becomes an event naming that task.
     */
    void finish(Evidence evidence, String source) {
        Integer worst = null;
        for (Map.Entry<Integer, Double> e : lagByCpu.entrySet()) {
            if (worst == null || e.getValue() > lagByCpu.get(worst)) {
                worst = e.getKey();
            }
        }
        if (worst == null || lagByCpu.get(worst) < MIN_LAG_SECONDS) {
            return;
        }
        for (Task t : evidence.tasks()) {
            if (t.cpu() != null && t.cpu().equals(worst) && t.pid() > 0) {
                evidence.addEvent(new KernelEvent(KernelEventKind.RUNQ_CLOCK_LAG, null, t.pid(), t.comm(), worst,
                        Map.of("lagSeconds", String.valueOf(lagByCpu.get(worst))), lineByCpu.get(worst), source));
                return;
            }
        }
    }
}
