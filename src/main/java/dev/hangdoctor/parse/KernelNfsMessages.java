package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.intAt;

/**
 * The NFS client's and its RPC layer's messages: a server that does not answer (and answers again), and the client's
 * own failures that leave a mount or a lock waiting (an RPCSEC_GSS upcall nobody answered, rpc.statd not answering
 * lockd, a mount's client-ID discovery giving up).
 */
final class KernelNfsMessages {
    /** net/sunrpc/auth_gss/auth_gss.c: the upcall to rpc.gssd timed out (its second line: "Please check user ..."). */
    static final String GSS_UPCALL_TIMED_OUT = "RPC: AUTH_GSS upcall timed out";
    /** fs/lockd/mon.c nsm_monitor(): rpc.statd did not register the peer, so the lock request fails or waits. */
    static final String LOCKD_CANNOT_MONITOR = "lockd: cannot monitor ";

    /** fs/nfs/nfs4state.c nfs4_discover_server_trunking(): "NFS: %s unhandled error %d. Exiting with error EIO". */
    private static final String UNHANDLED_ERROR = " unhandled error ";

    private KernelNfsMessages() {
    }

    /**
     * net/sunrpc/clnt.c: "%s: server %s not responding, still trying|timed out" and "%s: server %s OK". The message's
     * stem alone ("nfs: server X not responding", a line cut after it or quoted without its ending) is the same
     * message, read for the programs that print it (nfs, lockd), with no detail.
     */
    static boolean notResponding(KernelEventOut out, LogLine line, String m, int from, int colon) {
        for (int i = from; i < colon; i++) {
            char c = m.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        int nameAt = colon + 9;
        String program = m.substring(from, colon);
        Map<String, String> f = new LinkedHashMap<>();
        int notResp = m.indexOf(" not responding, ", nameAt);
        String stem = m.stripTrailing();
        if (notResp > nameAt) {
            f.put("server", m.substring(nameAt, notResp));
            f.put("program", program);
            f.put("status", "not-responding");
            f.put("detail", m.substring(notResp + 17).trim());
        } else if (stem.endsWith(" not responding") && stem.length() - 15 > nameAt
                && (program.equals("nfs") || program.equals("lockd"))) {
            f.put("server", stem.substring(nameAt, stem.length() - 15));
            f.put("program", program);
            f.put("status", "not-responding");
        } else if (m.endsWith(" OK") && m.length() - 3 > nameAt) {
            f.put("server", m.substring(nameAt, m.length() - 3));
            f.put("program", program);
            f.put("status", "ok");
        } else {
            return false;
        }
        return out.emit(line, KernelEventKind.NFS_NOT_RESPONDING, null, null, null, f);
    }

    /** "RPC: AUTH_GSS upcall timed out." (printed at most every 15 s; the caller waited the whole upcall timeout). */
    static boolean gssUpcallTimedOut(KernelEventOut out, LogLine line, String m) {
        return out.emit(line, KernelEventKind.NFS_CLIENT_ERROR, null, null, null, Map.of("what", "gss-upcall-timeout"));
    }

    /** "lockd: cannot monitor laptop": the peer's name as lockd knows it. */
    static boolean lockdCannotMonitor(KernelEventOut out, LogLine line, String m) {
        String host = m.substring(LOCKD_CANNOT_MONITOR.length()).trim();
        if (host.isEmpty() || host.indexOf(' ') >= 0) {
            return false;
        }
        return out.emit(line, KernelEventKind.NFS_CLIENT_ERROR, null, null, null,
                Map.of("what", "lockd-cannot-monitor", "host", host));
    }

    /** "NFS: nfs4_discover_server_trunking unhandled error -512. Exiting with error EIO". */
    static boolean unhandledError(KernelEventOut out, LogLine line, String m) {
        int at = m.indexOf(UNHANDLED_ERROR, 5);
        if (at < 6 || !m.startsWith(". Exiting with error EIO", m.indexOf('.', at))) {
            return false;
        }
        String function = m.substring(5, at).trim();
        if (function.isEmpty() || function.indexOf(' ') >= 0) {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("what", "unhandled-error");
        f.put("function", function);
        int errorAt = at + UNHANDLED_ERROR.length();
        boolean negative = errorAt < m.length() && m.charAt(errorAt) == '-';
        int error = intAt(m, negative ? errorAt + 1 : errorAt);
        if (error >= 0) {
            f.put("error", (negative ? "-" : "") + error);
        }
        return out.emit(line, KernelEventKind.NFS_CLIENT_ERROR, null, null, null, f);
    }
}
