package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.intAt;

/**
 * A storage device's own driver reporting commands that time out or fail (the block layer's errors are
 * {@link KernelIoMessages}'): one STORAGE_DEVICE_ERROR event each, with {@code dev}, {@code driver} (nvme | mmc |
 * scsi | ata) and {@code what} (timeout | error).
 */
final class KernelDeviceMessages {
    private KernelDeviceMessages() {
    }

    /**
     * drivers/nvme/host/pci.c nvme_timeout, through dev_warn ("nvme nvme0: "): "I/O %d QID %d timeout, aborting",
     * "..., reset controller", "..., completion polled", "..., disable controller"; 6.x "I/O tag %d (%04x) opcode
     * %#x (%s) QID %d timeout, ..."; nvme-rdma/tcp/fc print the same words.
     */
    static boolean nvmeTimeout(KernelEventOut out, LogLine line, String m) {
        int io = m.indexOf(": I/O ");
        int qid = m.indexOf(" QID ", io + 6);
        if (io < 1 || qid < 0 || qid - io > 80) {
            return false;
        }
        int n = intAt(m, qid + 5);
        int timeout = m.indexOf(" timeout", qid);
        if (n < 0 || timeout < 0 || timeout - qid > 12) {
            return false;
        }
        return emit(out, line, deviceBefore(m, io), "nvme", "timeout");
    }

    /**
     * drivers/mmc/core/block.c, the disk named ("mmcblk1: "): "error %d sending stop command, original cmd response
     * %#x, card status %#x", "error %d sending status command, %sing", "%s sending %s command, card status %#x"
     * ("timed out" / "error -110" / "unknown error -N"), "error %d transferring data, sector %u, nr %u, ..."; the
     * host controller's "mmc0: Timeout waiting for hardware interrupt." (drivers/mmc/host/sdhci.c).
     */
    static boolean mmcError(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ");
        if (colon < 4 || colon > 16 || m.indexOf(' ') < colon) {
            return false;
        }
        String rest = m.substring(colon + 2);
        String what;
        if (rest.startsWith("Timeout waiting for hardware")) {
            what = "timeout";
        } else if ((rest.startsWith("error -") || rest.startsWith("unknown error -") || rest.startsWith("timed out "))
                && (rest.contains(" sending ") || rest.contains(" transferring data"))) {
            what = rest.startsWith("timed out ") || rest.startsWith("error -110 ") ? "timeout" : "error";
        } else {
            return false;
        }
        return emit(out, line, m.substring(0, colon), "mmc", what);
    }

    /** drivers/scsi/scsi_lib.c through sdev_printk: "sd 0:0:0:0: timing out command, waited %lus". */
    static boolean scsiTimeout(KernelEventOut out, LogLine line, String m) {
        int at = m.indexOf(": timing out command, waited ");
        if (at < 2) {
            return false;
        }
        return emit(out, line, m.substring(m.indexOf(' ') + 1, at), "scsi", "timeout");
    }

    /** drivers/ata/libata-eh.c through ata_dev_err: "ata1.00: failed command: READ FPDMA QUEUED". */
    static boolean ataFailedCommand(KernelEventOut out, LogLine line, String m) {
        int at = m.indexOf(": failed command: ");
        if (at < 4 || m.indexOf(' ') < at) {
            return false;
        }
        return emit(out, line, m.substring(0, at), "ata", "error");
    }

    /** "nvme nvme0" before {@code at}: the controller's name, the word dev_printk puts last. */
    private static String deviceBefore(String m, int at) {
        int sp = m.lastIndexOf(' ', at - 1);
        return m.substring(sp + 1, at);
    }

    private static boolean emit(KernelEventOut out, LogLine line, String dev, String driver, String what) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dev", dev);
        f.put("driver", driver);
        f.put("what", what);
        return out.emit(line, KernelEventKind.STORAGE_DEVICE_ERROR, null, null, null, f);
    }
}
