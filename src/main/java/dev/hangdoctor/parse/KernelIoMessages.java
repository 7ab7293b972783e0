package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.longAt;

/** Storage I/O trouble: block-layer errors, offline SCSI devices (NFS: {@link KernelNfsMessages}). */
final class KernelIoMessages {
    private KernelIoMessages() {
    }

    /**
     * "I/O error, dev sda, sector 12345" with or without "blk_update_request: " / "end_request: " /
     * "print_req_error: " / "blk_print_req_error: ", and newer " op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class
     * 0"; other block statuses ("critical medium error, dev ...") too.
     */
    static boolean blockRequestError(KernelEventOut out, LogLine line, String m, int at) {
        int dev = m.indexOf(" error, dev ", at);
        if (dev < at) {
            return false;
        }
        int devAt = dev + 12;
        int comma = m.indexOf(',', devAt);
        if (comma < 0) {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dev", m.substring(devAt, comma));
        int sector = m.indexOf("sector ", comma);
        if (sector > 0 && longAt(m, sector + 7) >= 0) {
            f.put("sector", Long.toString(longAt(m, sector + 7)));
        }
        f.put("error", m.substring(at, dev));
        int op = m.indexOf(":(", comma);
        if (op > 0) {
            int close = m.indexOf(')', op);
            if (close > op + 2) {
                f.put("op", m.substring(op + 2, close));
            }
        }
        f.put("what", "request");
        return out.emit(line, KernelEventKind.BLOCK_IO_ERROR, null, null, null, f);
    }

    /** "Buffer I/O error on dev sda1, logical block 0, async page read" ("on device" before 4.x). */
    static boolean bufferIoError(KernelEventOut out, LogLine line, String m) {
        int devAt = m.startsWith("Buffer I/O error on device ") ? 27 : m.startsWith("Buffer I/O error on dev ") ? 24 : -1;
        if (devAt < 0) {
            return false;
        }
        int comma = m.indexOf(',', devAt);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dev", m.substring(devAt, comma < 0 ? m.length() : comma));
        int block = m.indexOf("logical block ", devAt);
        if (block > 0 && longAt(m, block + 14) >= 0) {
            f.put("block", Long.toString(longAt(m, block + 14)));
        }
        f.put("what", "buffer-io");
        return out.emit(line, KernelEventKind.BLOCK_IO_ERROR, null, null, null, f);
    }

    /** "sd 0:0:0:0: rejecting I/O to offline device" (scsi_lib.c, via sdev_printk). */
    static boolean offlineDevice(KernelEventOut out, LogLine line, String m) {
        int sp = m.indexOf(' ');
        String dev = sp > 0 && sp < m.length() - 33 ? m.substring(sp + 1, m.length() - 33) : null;
        Map<String, String> f = new LinkedHashMap<>();
        if (dev != null) {
            f.put("dev", dev);
        }
        f.put("what", "offline-device");
        return out.emit(line, KernelEventKind.BLOCK_IO_ERROR, null, null, null, f);
    }

    /** The words of fs/xfs/kmem.c's retry warning (xfs_err with no mount: "XFS: " before them). */
    static final String XFS_ALLOC_DEADLOCK = "possible memory allocation deadlock ";

    /**
     * fs/xfs/kmem.c, printed every 100 retries of an allocation XFS does not let fail: "XFS: %s(%d) possible memory
     * allocation deadlock in %s (mode:0x%x)" (3.x-4.x, kmem_alloc / kmem_zone_alloc / kmem_realloc), "XFS: %s(%u)
     * possible memory allocation deadlock size %u in %s (mode:0x%x)" (4.x+), and 2.6's "XFS: possible memory
     * allocation deadlock in %s (mode:0x%x)" without the task. {@code at} is where the message follows "XFS: ".
     */
    static boolean xfsAllocDeadlock(KernelEventOut out, LogLine line, String m, int at) {
        int words = m.indexOf(XFS_ALLOC_DEADLOCK, at);
        if (words < at) {
            return false;
        }
        Integer pid = null;
        String comm = null;
        if (words > at) {
            // "runc:[1:CHILD](3580) ": the comm may hold brackets and colons, the pid is the last parenthesis
            int close = words - 2;
            int open = m.lastIndexOf('(', close);
            if (close <= at || m.charAt(close) != ')' || open <= at) {
                return false;
            }
            long p = longAt(m, open + 1);
            if (p < 0 || p > Integer.MAX_VALUE) {
                return false;
            }
            pid = (int) p;
            comm = m.substring(at, open);
        }
        Map<String, String> f = new LinkedHashMap<>();
        int i = words + XFS_ALLOC_DEADLOCK.length();
        if (m.startsWith("size ", i)) {
            long size = longAt(m, i + 5);
            if (size >= 0) {
                f.put("size", Long.toString(size));
            }
            i = m.indexOf(' ', i + 5) + 1;
        }
        if (i > 0 && m.startsWith("in ", i) && i + 3 < m.length() && m.charAt(i + 3) != ' ') {
            int fnEnd = m.indexOf(' ', i + 3);
            f.put("function", m.substring(i + 3, fnEnd < 0 ? m.length() : fnEnd));
        } else if (i <= 0 || !m.substring(i).isBlank() && !"in".equals(m.substring(i).trim())) {
            return false; // other words after the warning's: not its format (a line wrapped after "in" is)
        }
        int mode = m.indexOf("(mode:", i);
        if (mode > 0) {
            int end = m.indexOf(')', mode);
            f.put("mode", m.substring(mode + 6, end < 0 ? m.length() : end));
        }
        return out.emit(line, KernelEventKind.XFS_ALLOC_DEADLOCK, pid, comm, null, f);
    }
}
