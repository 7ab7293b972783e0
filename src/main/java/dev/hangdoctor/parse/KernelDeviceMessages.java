package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.hangdoctor.parse.KernelMessageText.intAt;

/**
 * A storage device's own driver reporting commands that time out or fail, or its host adapter reset or locked up
 * (the block layer's errors are {@link KernelIoMessages}'): one STORAGE_DEVICE_ERROR event each, with {@code dev},
 * {@code driver} (nvme | mmc | scsi | ata | megaraid_sas | mpt2sas | mpt3sas | aacraid | hpsa | qla2xxx | nbd | iscsi) and
 * {@code what} (timeout | error | reset | hung). A GPU driver reporting that its GPU stopped running jobs, or
 * left the bus: one GPU_HANG event each, with {@code driver} (amdgpu | i915 | msm | panfrost | etnaviv | nvidia |
 * host1x),
 * {@code what} (timeout | hung | reset | xid N), and {@code dev} when the line names the device.
 */
final class KernelDeviceMessages {
    private KernelDeviceMessages() {
    }

    /**
     * drivers/nvme/host/pci.c nvme_timeout, through dev_warn ("nvme nvme0: "): "I/O %d QID %d timeout, aborting",
     * "..., reset controller", "..., completion polled", "..., disable controller"; 6.x "I/O tag %d (%04x) opcode
     * %#x (%s) QID %d timeout, ..."; nvme-rdma/tcp/fc print the same words. Before 6.x nvme-tcp printed "queue %d:
     * timeout request %#x type %d" (drivers/nvme/host/tcp.c nvme_tcp_timeout). A fabrics controller whose queue
     * cannot connect (fabrics.c nvmf_log_connect_error: "Connect command failed, error wo/DNR bit: %d", and its
     * callers' "failed to connect queue: %d ret=%d") has lost its target: an error.
     */
    static boolean nvmeTimeout(KernelEventOut out, LogLine line, String m) {
        // dev_printk's "nvme nvmeN: " (a fabrics controller): not a tool's own "nvme-cli: ..." log
        boolean controller = m.startsWith("nvme nvme");
        int queue = controller ? m.indexOf(": queue ") : -1;
        if (queue > 0 && queue < 24) {
            int n = intAt(m, queue + 8);
            if (n >= 0 && m.startsWith(": timeout request ", m.indexOf(':', queue + 8))) {
                return emit(out, line, deviceBefore(m, queue), "nvme", "timeout");
            }
        }
        for (String failed : NVME_CONNECT_FAILED) {
            int at = m.indexOf(failed);
            if (controller && at > 0 && at < 24 && m.charAt(at - 1) == ':') {
                return emit(out, line, deviceBefore(m, at - 1), "nvme", "error");
            }
        }
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
     * drivers/scsi/scsi_logging.c; "Unhandled error code" before 3.18, drivers/scsi/sd.c). The host driver escalating
     * when the abort did not help: mpt3sas's and megaraid_sas's "attempting target reset! scmd(%p) ..." and
     * "attempting device reset! scmd(%p)", megaraid_sas's "OCR is requested due to IO timeout!!" (an online controller
     * reset, drivers/scsi/megaraid/megaraid_sas_fusion.c): a reset. The error handler giving the device up ("Device
     * offlined - ...") is left to the block layer's "rejecting I/O to offline device". The device itself saying it
     * was reset, the sense data's unit attention ASC 0x29 (drivers/scsi/scsi_error.c scsi_report_sense, "Power-on or
     * device reset occurred"): the commands it held are lost and must be retried (an iSCSI target's LUN reset, a
     * storage path failing over); a reset too.
     */
    private static final String UNIT_ATTENTION_RESET = ": Power-on or device reset occurred";

    /**
     * How long after boot a device's unit attention is its probe's: a disk reports the power-on it saw when the
     * kernel first talks to it (VMware, Hyper-V and USB disks print "Power-on or device reset occurred" at boot), which
     * is no reset of a device in use.
     */
    private static final double PROBE_SECONDS = 60;

    /** Whether the line's time since boot (dmesg's stamp) falls in the boot's device probing. */
    private static boolean probing(LogLine line) {
        return ("dmesg".equals(line.prefix()) || "kmsg".equals(line.prefix())) && line.timestamp() != null
                && line.timestamp() < PROBE_SECONDS;
    }

    static boolean scsiMessage(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ", 3);
        if (colon < 4 || m.indexOf(' ', 3) < colon) {
            return false;
        }
        String what;
        if (m.indexOf(": timing out command, waited ", colon) == colon || m.indexOf(" task abort on host ", colon) > 0
                || m.indexOf("attempting task abort!", colon) > 0) {
            what = "timeout";
        } else if (m.indexOf(": attempting target reset!", colon - 1) == colon
                || m.indexOf(": attempting device reset!", colon - 1) == colon
                || m.indexOf(" OCR is requested due to IO timeout", colon) > 0
                || m.endsWith(UNIT_ATTENTION_RESET) && m.length() - UNIT_ATTENTION_RESET.length() == colon
                && !probing(line)) {
            what = "reset";
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

    /**
     * A RAID or SAS controller (drivers/scsi/megaraid/megaraid_sas_base.c and _fusion.c) that keeps commands: the
     * adapter reset path waits for the firmware's outstanding commands and says so every few seconds, dev_notice
     * "[%2d]waiting for %d commands to complete for scsi%d" (the MFI adapters' without "for scsi%d"; "megasas: "
     * through printk before 4.x), then "pending commands remain after waiting, will reset adapter scsi%d." or "Found
     * FW in FAULT state, will reset adapter scsi%d.": the controller is reset.
     */
    static boolean megaraidRecovery(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ");
        if (colon < 7 || m.indexOf(' ') < colon && !m.startsWith("megaraid_sas ")) {
            return false;
        }
        int body = colon + 2;
        String dev = adapterName(m, colon, "megaraid_sas");
        int wait = m.indexOf("]waiting for ", body);
        if (m.startsWith("[", body) && wait > body && wait - body < 6) {
            int n = intAt(m, wait + 13);
            String rest = m.substring(KernelMessageText.digitsEnd(m, wait + 13));
            // the whole words, or as much of them as a console that cuts lines at 80 columns kept
            return n > 0 && (rest.startsWith(OUTSTANDING) || OUTSTANDING.startsWith(rest))
                    && emit(out, line, dev, "megaraid_sas", "timeout");
        }
        return said(out, line, m, body, dev, "megaraid_sas", MEGARAID_RESETS);
    }

    private static final String OUTSTANDING = " commands to complete";
    private static final Phrase[] MEGARAID_RESETS = {new Phrase("pending commands remain after waiting", "reset"),
        new Phrase("Found FW in FAULT state, will reset adapter", "reset")};

    /**
     * The LSI/Broadcom SAS HBAs' own log through ioc_info / ioc_err ("mpt3sas_cm0: ", "mpt2sas_cm0: ", 3.x's
     * "mpt2sas0: "), drivers/scsi/mpt3sas/mpt3sas_base.c mpt3sas_base_check_cmd_timeout "Command Timeout" (an IOC
     * command that did not complete, and the reset it brings) and mpt3sas_scsih.c scsih_host_reset "attempting host
     * reset! scmd(%p)" ("attempting host reset" from 5.x): the error handler's last step, the whole adapter reset.
     */
    static boolean mptSasRecovery(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ");
        if (colon < 8 || colon > 24 || m.indexOf(' ') < colon) {
            return false;
        }
        return said(out, line, m, colon + 2, m.substring(0, colon), m.substring(0, 7), MPT_SAS);
    }

    private static final Phrase[] MPT_SAS = {new Phrase("Command Timeout", "timeout"),
        new Phrase("attempting host reset", "reset")};

    /**
     * Adaptec's aacraid (drivers/scsi/aacraid/linit.c), printk with AAC_DRIVERNAME: "aacraid: Host adapter abort
     * request." ("... abort request (%d,%d,%d,%d)" later), and its escalation "aacraid: Host adapter reset request.
     * SCSI hang ?" (4.14+ also "Host bus reset request. SCSI hang ?", "Host device reset ...", "Host target reset
     * ..."), dev_err "aacraid 0000:03:00.0: ..." in some releases.
     */
    static boolean aacraidRecovery(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ");
        if (colon < 7) {
            return false;
        }
        String dev = adapterName(m, colon, "aacraid");
        int reset = m.indexOf(" reset request. SCSI hang ?", colon);
        if (reset > 0 && m.startsWith("Host ", colon + 2) && reset - colon < 20) {
            return emit(out, line, dev, "aacraid", "reset");
        }
        return said(out, line, m, colon + 2, dev, "aacraid", AACRAID_ABORT);
    }

    private static final Phrase[] AACRAID_ABORT = {new Phrase("Host adapter abort request", "timeout")};

    /**
     * HPE Smart Array (drivers/scsi/hpsa.c controller_lockup_detected), dev_warn "Controller lockup detected:
     * 0x%08x" ("... after %d" in some releases): the controller's heartbeat stopped, every command on it is failed.
     */
    static boolean hpsaLockup(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ");
        return colon >= 6 && said(out, line, m, colon + 2, adapterName(m, colon, "hpsa"), "hpsa", HPSA_LOCKUP);
    }

    private static final Phrase[] HPSA_LOCKUP = {new Phrase("Controller lockup detected: ", "hung")};

    /**
     * QLogic Fibre Channel (drivers/scsi/qla2xxx/qla_os.c) through ql_log ("qla2xxx [0000:04:00.0]-801c:3: "): the
     * error handler's abort "Abort command issued nexus=%ld:%d:%llu -- %x." and its escalation "DEVICE RESET ISSUED
     * nexus=...", "TARGET RESET ISSUED nexus=...", "BUS RESET ISSUED nexus=...", "ADAPTER RESET ISSUED nexus=..."
     * ("... host=%ld." from 5.x).
     */
    static boolean qla2xxxRecovery(KernelEventOut out, LogLine line, String m) {
        int close = m.indexOf("]-", 9);
        int colon = close < 0 ? -1 : m.indexOf(": ", close);
        if (colon < 0 || colon - close > 16) {
            return false;
        }
        String dev = m.substring(9, close);
        int reset = m.indexOf(" RESET ISSUED ", colon);
        if (reset > colon && reset - colon < 12 && m.indexOf(' ', colon + 2) == reset) {
            return emit(out, line, dev, "qla2xxx", "reset");
        }
        return said(out, line, m, colon + 2, dev, "qla2xxx", QLA_ABORT);
    }

    private static final Phrase[] QLA_ABORT = {new Phrase("Abort command issued nexus=", "timeout")};

    /** Words a driver's message body starts with, and what they say of the commands (timeout | reset | hung). */
    private record Phrase(String words, String what) {
    }

    /** The first of {@code phrases} the message's body (from {@code body}) starts with, as the device's event. */
    private static boolean said(KernelEventOut out, LogLine line, String m, int body, String dev, String driver,
            Phrase[] phrases) {
        for (Phrase p : phrases) {
            if (m.startsWith(p.words(), body)) {
                return emit(out, line, dev, driver, p.what());
            }
        }
        return false;
    }

    /**
     * dev_printk's device ("megaraid_sas 0000:5a:00.0: " gives 0000:5a:00.0), else the SCSI host the message ends
     * with ("... for scsi0", "... adapter scsi0."), else the driver.
     */
    private static String adapterName(String m, int colon, String driver) {
        int sp = m.indexOf(' ');
        if (sp > 0 && sp < colon) {
            return m.substring(sp + 1, colon);
        }
        int host = m.lastIndexOf(" scsi");
        int end = host < 0 ? -1 : KernelMessageText.digitsEnd(m, host + 5);
        return end > host + 5 ? m.substring(host + 1, end) : driver;
    }

    /**
     * A network block device's transport failing, drivers/block/nbd.c through dev_err/dev_info on the disk ("block
     * nbd13: "): recv_work's "Receive control failed (result %d)" and nbd_send_cmd's "Send control failed (result %d)"
     * (the socket to the server broke), nbd_xmit_timeout's "Connection timed out" and "Possible stuck request %p:
     * control (%s@%llu,%uB). Runtime %u seconds" (a request the server does not answer). Not its "shutting down
     * socket" or "NBD_DISCONNECT": those are the user's own disconnect.
     */
    static boolean nbdError(KernelEventOut out, LogLine line, String m) {
        int colon = m.indexOf(": ", 9);
        if (colon < 10 || colon > 16 || m.indexOf(' ', 6) < colon) {
            return false;
        }
        return said(out, line, m, colon + 2, m.substring(6, colon), "nbd", NBD_FAILURES);
    }

    private static final Phrase[] NBD_FAILURES = {new Phrase("Receive control failed (result ", "error"),
        new Phrase("Send control failed (result ", "error"), new Phrase("Connection timed out", "timeout"),
        new Phrase("Possible stuck request ", "timeout")};

    /**
     * An iSCSI initiator's connection to its target lost, drivers/scsi/scsi_transport_iscsi.c iscsi_conn_error_event
     * through iscsi_cls_conn_printk on the connection's device: "connection%d:%d: detected conn error (%d)" (1020:
     * the connection closed, 1011: a ping timed out); every command on the session waits for recovery.
     */
    static boolean iscsiConnError(KernelEventOut out, LogLine line, String m) {
        String t = m.stripLeading();
        int at = t.indexOf(": detected conn error (");
        if (!t.startsWith("connection") || at < 12 || at > 24 || t.indexOf(' ') < at) {
            return false;
        }
        return emit(out, line, t.substring(0, at), "iscsi", "error");
    }

    /** drivers/ata/libata-eh.c through ata_dev_err: "ata1.00: failed command: READ FPDMA QUEUED". */
    static boolean ataFailedCommand(KernelEventOut out, LogLine line, String m) {
        int at = m.indexOf(": failed command: ");
        if (at < 4 || m.indexOf(' ') < at) {
            return false;
        }
        return emit(out, line, m.substring(0, at), "ata", "error");
    }

    /**
     * amdgpu_job.c amdgpu_job_timedout: "ring %s timeout, signaled seq=%u, emitted seq=%u" ("last signaled seq",
     * "last emitted seq" in 4.x), through DRM_ERROR ("[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx timeout,
     * ...") or dev_err ("amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 timeout, ..."). The soft-recovered case
     * ("ring %s timeout, but soft recovered") is no hang.
     */
    static boolean amdgpuRingTimeout(KernelEventOut out, LogLine line, String m) {
        int t = m.indexOf(" timeout, ");
        int seq = t + 10;
        if (t < 1 || !(m.startsWith("signaled seq=", seq) || m.startsWith("last signaled seq=", seq))) {
            return false;
        }
        return gpuHang(out, line, m, "amdgpu", "timeout");
    }

    /**
     * amdgpu_device.c amdgpu_device_ip_check_soft_reset "IP block:%s is hung!" (DRM_INFO "[drm] IP block:gmc_v8_0
     * is hung!", later dev_info) and amdgpu_device_gpu_recover "GPU reset begin!".
     */
    static boolean amdgpuHung(KernelEventOut out, LogLine line, String m) {
        int ip = m.indexOf("IP block:");
        if (ip >= 0 && m.endsWith(" is hung!") && m.indexOf(' ', ip + 9) == m.length() - 9) {
            return gpuHang(out, line, m, "amdgpu", "hung");
        }
        return m.contains("GPU reset begin!") && gpuHang(out, line, m, "amdgpu", "reset");
    }

    /**
     * i915_gpu_error.c error_msg "GPU HANG: ecode %d:%x:%08x" (", in %s [%d]" after it), and gt/intel_reset.c
     * __intel_engine_reset_bh "Resetting %s for %s" through drm_notice ("i915 0000:00:02.0: [drm] Resetting rcs0
     * for stopped heartbeat on rcs0") or dev_notice before 5.x.
     */
    static boolean i915Hang(KernelEventOut out, LogLine line, String m) {
        int ecode = m.indexOf("GPU HANG: ecode ");
        if (ecode >= 0) {
            return m.indexOf(':', ecode + 16) > 0 && gpuHang(out, line, m, "i915", "hung");
        }
        int r = m.indexOf(" Resetting ");
        if (r < 1 || !m.startsWith("i915 ") || (m.charAt(r - 1) != ':' && m.charAt(r - 1) != ']')) {
            return false;
        }
        int engine = r + 11;
        int sp = m.indexOf(' ', engine);
        return sp > engine && m.startsWith(" for ", sp) && gpuHang(out, line, m, "i915", "reset");
    }

    /**
     * drivers/gpu/drm/msm/msm_gpu.c hangcheck_handler "%s: hangcheck detected gpu lockup rb %d!",
     * panfrost_job.c panfrost_job_timedout "gpu sched timeout, js=%d, ...", etnaviv_gpu.c "recover hung GPU!",
     * each through dev_err ("msm_dpu ae01000.display-controller: [drm:hangcheck_handler [msm]] *ERROR* ...").
     */
    static boolean armGpuHang(KernelEventOut out, LogLine line, String m) {
        if (m.contains(": hangcheck detected gpu lockup rb ")) {
            return gpuHang(out, line, m, "msm", "hung");
        }
        if (m.contains(": gpu sched timeout, js=")) {
            return gpuHang(out, line, m, "panfrost", "timeout");
        }
        return m.endsWith(": recover hung GPU!") && gpuHang(out, line, m, "etnaviv", "hung");
    }

    /**
     * NVIDIA Tegra's host1x (nvhost) driver waiting for an engine's syncpoint (its fence) that does not move:
     * nvhost_syncpt_wait_timeout's dev_warn "%s: syncpoint id %d (%s) stuck waiting %d, timeout=%d" (the waiting
     * task's comm first; "host1x 13e10000.host1x: vpi_sample_05_b: syncpoint id 31 (pva_syncpt) stuck waiting 1,
     * timeout=519311586"). The engine behind the syncpoint (PVA, VIC, NVDEC, the GPU's channel) stopped finishing
     * its jobs. Its "progressing slowly" sibling is no hang.
     */
    static boolean host1xSyncpointStuck(KernelEventOut out, LogLine line, String m) {
        int id = m.indexOf(": syncpoint id ");
        int stuck = id < 0 ? -1 : m.indexOf(") stuck waiting ", id);
        if (stuck < 0 || stuck - id > 60) {
            return false;
        }
        int sp = m.indexOf(' ');
        int colon = m.indexOf(": ");
        String dev = sp > 0 && colon > sp + 1 ? m.substring(sp + 1, colon) : null;
        return emitGpu(out, line, dev, "host1x", "timeout");
    }

    /**
     * The NVIDIA driver's Xid report, "NVRM: Xid (PCI:0000:01:00): 79, pid=1122, GPU has fallen off the bus."
     * ("NVRM: Xid (0000:01:00): 79, ..." in older drivers): only the Xids that NVIDIA's Xid catalogue gives for a
     * GPU that stopped processing, timed out, halted its microcontroller or left the bus.
     */
    static boolean nvidiaXid(KernelEventOut out, LogLine line, String m) {
        int close = m.indexOf("): ", 11);
        if (close < 0 || close > 40) {
            return false;
        }
        int xid = intAt(m, close + 3);
        if (!HANG_XIDS.contains(xid)) {
            return false;
        }
        return emitGpu(out, line, m.substring(m.startsWith("PCI:", 11) ? 15 : 11, close), "nvidia", "xid " + xid);
    }

    /**
     * NVIDIA's Xid catalogue, the Xids of a GPU that stopped or left: 8, 43 GPU stopped processing; 16 display engine
     * hung; 61, 62 internal microcontroller breakpoint and halt; 79 GPU fallen off the bus; 109 context switch
     * timeout; 119, 120 GSP RPC timeout and GSP error. Not the Xids of one application's fault (13 graphics engine
     * exception, 31 MMU fault, 45 preemptive cleanup after them) or of memory and links (48, 63, 64 ECC and page
     * retirement, 74 NVLink): common on a busy ML node, they hang nothing, and a live scan would report each one.
     */
    private static final Set<Integer> HANG_XIDS = Set.of(8, 16, 43, 61, 62, 79, 109, 119, 120);

    /** "amdgpu 0000:03:00.0: amdgpu: ..." / "panfrost ff9a0000.gpu: ...": dev_printk's device, else none. */
    private static boolean gpuHang(KernelEventOut out, LogLine line, String m, String driver, String what) {
        int sp = m.indexOf(' ');
        int colon = m.indexOf(": ");
        boolean named = sp > 0 && colon > sp + 1 && m.indexOf(' ', sp + 1) > colon && m.charAt(0) != '[';
        return emitGpu(out, line, named ? m.substring(sp + 1, colon) : null, driver, what);
    }

    private static boolean emitGpu(KernelEventOut out, LogLine line, String dev, String driver, String what) {
        Map<String, String> f = new LinkedHashMap<>();
        if (dev != null) {
            f.put("dev", dev);
        }
        f.put("driver", driver);
        f.put("what", what);
        return out.emit(line, KernelEventKind.GPU_HANG, null, null, null, f);
    }

    private static final String[] NVME_CONNECT_FAILED = {" Connect command failed, error ", " failed to connect queue: "};

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
