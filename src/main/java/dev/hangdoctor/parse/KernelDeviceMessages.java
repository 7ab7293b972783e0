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

    /**
     * A SCSI disk's messages through sdev_printk / scmd_printk ("sd 0:0:0:0: [sda] tag#99 ..."): the mid layer's
     * "timing out command, waited %lus" (drivers/scsi/scsi_lib.c), a host driver aborting a command that timed out
     * (drivers/scsi/vmw_pvscsi.c "task abort on host %u, %p", mpt3sas "attempting task abort!..."), a command
     * failed for good ("FAILED Result: hostbyte=DID_... driverbyte=..." from scsi_print_result,
     * drivers/scsi/scsi_logging.c; "Unhandled error code" before 3.18, drivers/scsi/sd.c). The error handler giving
     * the device up ("Device offlined - ...") is left to the block layer's "rejecting I/O to offline device".
     */
    static boolean scsiMessage(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ", 3);
        if (colon < 4 || m.indexOf(' ', 3) < colon) {
            return false;
        }
        String what;
        if (m.indexOf(": timing out command, waited ", colon) == colon || m.indexOf(" task abort on host ", colon) > 0
                || m.indexOf("attempting task abort!", colon) > 0) {
            what = "timeout";
        } else if (m.indexOf(" FAILED Result: hostbyte=", colon) > 0 || m.indexOf(" Unhandled error code", colon) > 0) {
            what = "error";
        } else {
            return false;
        }
        return emit(out, line, m.substring(3, colon), "scsi", what);
    }

    /**
     * drivers/message/fusion/mptscsih.c, the LSI Fusion MPT host (VMware's LSI Logic adapter) through
     * MYIOC_s_INFO_FMT ("mptscsih: ioc0: "): "attempting task abort! (sc=%p)", "attempting target reset! (sc=%p)",
     * "attempting bus reset! (sc=%p)", "attempting host reset! (sc=%p)": the error handler recovering a command
     * the device did not complete in time.
     */
    static boolean mptscsihRecovery(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ", 10);
        if (colon < 11 || m.indexOf(' ', 10) < colon || !m.startsWith("attempting ", colon + 2)) {
            return false;
        }
        int reset = m.indexOf("! (sc=", colon);
        if (reset < 0 || reset - colon > 32) {
            return false;
        }
        return emit(out, line, m.substring(10, colon), "scsi", "timeout");
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
