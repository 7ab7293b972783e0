package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields hangdoctor uses from /proc/PID/status: identity (Name, Tgid, Pid, PPid, NSpid, NStgid), State, the
 * pending/blocked signal masks (hex, SIGKILL is bit 8), VmRSS in kB, the voluntary/nonvoluntary context switch
 * counts, and VmSwap and VmPTE in kB (with VmRSS, what the OOM killer's badness counts). Missing lines stay null:
 * kernel threads and zombies print no Vm* lines, 3.10 prints no NSpid.
 */
public record ProcStatus(String name, String state, Integer tgid, Integer pid, Integer ppid, List<Integer> nsPids,
                         List<Integer> nsTgids, Long sigPnd, Long shdPnd, Long sigBlk, Long vmRssKb, Integer threads,
                         Long voluntaryCtxtSwitches, Long nonvoluntaryCtxtSwitches, Long vmSwapKb, Long vmPteKb) {

    public ProcStatus {
        nsPids = nsPids == null ? List.of() : List.copyOf(nsPids);
        nsTgids = nsTgids == null ? List.of() : List.copyOf(nsTgids);
    }

    /** Both context switch counts added up, or null when the kernel printed neither. */
    public Long contextSwitches() {
        if (voluntaryCtxtSwitches == null && nonvoluntaryCtxtSwitches == null) {
            return null;
        }
        return (voluntaryCtxtSwitches == null ? 0 : voluntaryCtxtSwitches)
                + (nonvoluntaryCtxtSwitches == null ? 0 : nonvoluntaryCtxtSwitches);
    }

    /** Parses the whole file; lines it does not know are ignored, so it never fails. */
    public static ProcStatus parse(String text) {
        String name = null;
        String state = null;
        Integer tgid = null;
        Integer pid = null;
        Integer ppid = null;
        List<Integer> nsPids = null;
        List<Integer> nsTgids = null;
        Long sigPnd = null;
        Long shdPnd = null;
        Long sigBlk = null;
        Long rss = null;
        Integer threads = null;
        Long voluntary = null;
        Long nonvoluntary = null;
        Long swap = null;
        Long pte = null;
        if (text == null) {
            text = "";
        }
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int colon = text.indexOf(':', start);
            // most of the ~55 lines are not wanted: the key is matched in place, the value cut only when wanted
            String key = colon > start && colon < end ? wanted(text, start, colon - start) : null;
            if (key != null) {
                String value = text.substring(colon + 1, end).trim();
                switch (key) {
                    case "Name" -> name = value;
                    case "State" -> state = value;
                    case "Tgid" -> tgid = ProcStat.parseInt(value);
                    case "Pid" -> pid = ProcStat.parseInt(value);
                    case "PPid" -> ppid = ProcStat.parseInt(value);
                    case "NSpid" -> nsPids = ints(value);
                    case "NStgid" -> nsTgids = ints(value);
                    case "SigPnd" -> sigPnd = hex(value);
                    case "ShdPnd" -> shdPnd = hex(value);
                    case "SigBlk" -> sigBlk = hex(value);
                    case "VmRSS" -> rss = kb(value);
                    case "VmSwap" -> swap = kb(value);
                    case "VmPTE" -> pte = kb(value);
                    case "Threads" -> threads = ProcStat.parseInt(value);
                    case "voluntary_ctxt_switches" -> voluntary = ProcStat.parseLong(value);
                    case "nonvoluntary_ctxt_switches" -> nonvoluntary = ProcStat.parseLong(value);
                    default -> { }
                }
            }
            start = end + 1;
        }
        return new ProcStatus(name, state, tgid, pid, ppid, nsPids, nsTgids, sigPnd, shdPnd, sigBlk, rss, threads,
                voluntary, nonvoluntary, swap, pte);
    }

    private static final String[] KEYS = {"Name", "State", "Tgid", "Pid", "PPid", "NSpid", "NStgid", "SigPnd",
        "ShdPnd", "SigBlk", "VmRSS", "VmSwap", "VmPTE", "Threads", "voluntary_ctxt_switches",
        "nonvoluntary_ctxt_switches"};

    /** The wanted key spelled at {@code text[from, from + len)}, or null. */
    private static String wanted(String text, int from, int len) {
        for (String k : KEYS) {
            if (k.length() == len && text.charAt(from) == k.charAt(0) && text.regionMatches(from, k, 0, len)) {
                return k;
            }
        }
        return null;
    }

    private static List<Integer> ints(String value) {
        List<Integer> out = new ArrayList<>();
        for (String s : value.split("\\s+")) {
            Integer v = ProcStat.parseInt(s);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static Long hex(String value) {
        if (value.isEmpty() || value.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long kb(String value) {
        int sp = value.indexOf(' ');
        return ProcStat.parseLong(sp < 0 ? value : value.substring(0, sp));
    }
}
