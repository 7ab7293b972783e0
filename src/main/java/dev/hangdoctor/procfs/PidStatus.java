package dev.hangdoctor.procfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/status and /proc/PID/task/TID/status: the one parser of the fields hangdoctor uses — identity (Name,
 * Tgid, Pid, PPid, NSpid, NStgid), the real uid, State, the pending/blocked signal masks (hex, SIGKILL is bit 8),
 * VmRSS in kB, the voluntary/nonvoluntary context switch counts, and VmSwap and VmPTE in kB (with VmRSS, what the OOM
 * killer's badness counts). Missing lines stay null: kernel threads and zombies print no Vm* lines, 3.10 prints no
 * NSpid. Read as bytes and decoded lossily: Name is what the process called itself and need not be UTF-8.
 */
public record PidStatus(String name, String state, Integer tgid, Integer pid, Integer ppid, List<Integer> nsPids,
                        List<Integer> nsTgids, Long sigPnd, Long shdPnd, Long sigBlk, Long vmRssKb, Integer threads,
                        Long voluntaryCtxtSwitches, Long nonvoluntaryCtxtSwitches, Long vmSwapKb, Long vmPteKb,
                        Integer uid) {

    public PidStatus {
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

    /** The status file of a process under a proc root ("/proc" live, a bundle's proc/ otherwise). */
    public static Path path(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("status");
    }

    /** The status file of one thread of a process. */
    public static Path taskPath(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("status");
    }

    /** Parses the file's bytes, decoding them lossily (a Name that is not UTF-8 costs only the Name). */
    public static PidStatus parse(byte[] raw) {
        return parse(new String(raw, StandardCharsets.UTF_8));
    }

    /** Parses the whole file; lines it does not know are ignored, so it never fails. */
    public static PidStatus parse(String text) {
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
        Integer uid = null;
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
                    case "Tgid" -> tgid = ProcNumbers.parseInt(value);
                    case "Pid" -> pid = ProcNumbers.parseInt(value);
                    case "PPid" -> ppid = ProcNumbers.parseInt(value);
                    case "NSpid" -> nsPids = ints(value);
                    case "NStgid" -> nsTgids = ints(value);
                    case "SigPnd" -> sigPnd = hex(value);
                    case "ShdPnd" -> shdPnd = hex(value);
                    case "SigBlk" -> sigBlk = hex(value);
                    case "VmRSS" -> rss = kb(value);
                    case "VmSwap" -> swap = kb(value);
                    case "VmPTE" -> pte = kb(value);
                    case "Threads" -> threads = ProcNumbers.parseInt(value);
                    case "Uid" -> uid = ProcNumbers.parseInt(firstWord(value));
                    case "voluntary_ctxt_switches" -> voluntary = ProcNumbers.parseLong(value);
                    case "nonvoluntary_ctxt_switches" -> nonvoluntary = ProcNumbers.parseLong(value);
                    default -> { }
                }
            }
            start = end + 1;
        }
        return new PidStatus(name, state, tgid, pid, ppid, nsPids, nsTgids, sigPnd, shdPnd, sigBlk, rss, threads,
                voluntary, nonvoluntary, swap, pte, uid);
    }

    private static final String[] KEYS = {"Name", "State", "Tgid", "Pid", "PPid", "NSpid", "NStgid", "Uid", "SigPnd",
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
            Integer v = ProcNumbers.parseInt(s);
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

    /** "66548 kB": the number. */
    private static Long kb(String value) {
        return ProcNumbers.parseLong(firstWord(value));
    }

    /** "0\t0\t0\t0" (Uid: real, effective, saved, filesystem): the first. */
    private static String firstWord(String value) {
        int end = 0;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        return value.substring(0, end);
    }
}
