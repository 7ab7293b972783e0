package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.longAt;

/** The network stack's own words for a wait that does not end. */
final class KernelNetMessages {
    private KernelNetMessages() {
    }

    /** The start of net/core/dev.c's warning; the device's name follows it. */
    static final String UNREGISTER_WAIT = "unregister_netdevice: waiting for ";
    private static final String BECOME_FREE = " to become free";
    private static final String USAGE_COUNT = ". Usage count = ";

    /**
     * net/core/dev.c netdev_wait_allrefs (netdev_wait_allrefs_any from 5.18), pr_emerg every 10 seconds (the
     * netdev_unregister_timeout_secs sysctl from 5.12) while a device being unregistered still has references:
     * "unregister_netdevice: waiting for %s to become free. Usage count = %d". The task printing it (the netns
     * cleanup worker for a dying namespace's devices, or whoever ran the unregister) holds the RTNL or net namespace
     * lock meanwhile. A line cut after the device's name keeps the device; one cut before it is not read.
     */
    static boolean unregisterWait(KernelEventOut out, LogLine line, String m) {
        int at = UNREGISTER_WAIT.length();
        int free = m.indexOf(BECOME_FREE, at);
        int end = free < 0 ? m.length() : free;
        // IFNAMSIZ: a device's name is 1 to 15 characters with no space; anything else is another sentence
        if (end <= at || end - at > 15 || m.indexOf(' ', at) >= 0 && m.indexOf(' ', at) < end) {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dev", m.substring(at, end));
        if (free > 0) {
            int rest = free + BECOME_FREE.length();
            if (m.startsWith(USAGE_COUNT, rest)) {
                long n = longAt(m, rest + USAGE_COUNT.length());
                if (n >= 0) {
                    f.put("usage", Long.toString(n));
                }
            } else if (rest < m.length() && !USAGE_COUNT.startsWith(m.substring(rest))) {
                return false;
            }
        }
        return out.emit(line, KernelEventKind.NETDEV_UNREGISTER_WAIT, null, null, null, f);
    }
}
