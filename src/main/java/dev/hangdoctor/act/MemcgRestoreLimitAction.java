package dev.hangdoctor.act;

import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The undo of {@link MemcgRaiseLimitAction}: puts the old limit back, then the memsw limit the raise lifted (v1 keeps
 * memsw at or above the limit). Only while the limit is still the one the raise set and usage has fallen well below
 * the old limit: otherwise putting it back would only re-create the stall, or undo someone else's change.
 */
public final class MemcgRestoreLimitAction implements Action {
    /** The audit log's action id (not a remedy a rule names: it only follows a raise). */
    public static final String ID = "memcg-restore-limit";

    private final String finding;
    /** The host's files, read (timed) right before each write as the raise reads them. */
    private final ProcSource host;
    private final Path cgroupDir;
    private final String cgroupPath;
    private final int version;
    private final long oldBytes;
    private final long raisedBytes;
    /** The memsw limit to put back, or null when the raise did not touch it. */
    private final Long memswOldBytes;

    MemcgRestoreLimitAction(ProcSource host, String finding, Path cgroupDir, String cgroupPath, int version,
                            long oldBytes, long raisedBytes, Long memswOldBytes) {
        this.host = host;
        this.finding = finding;
        this.cgroupDir = cgroupDir;
        this.cgroupPath = cgroupPath;
        this.version = version;
        this.oldBytes = oldBytes;
        this.raisedBytes = raisedBytes;
        this.memswOldBytes = memswOldBytes;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String finding() {
        return finding;
    }

    @Override
    public String summary() {
        return "put the memory limit of cgroup " + cgroupPath + " back from " + MemcgRaiseLimitAction.mib(raisedBytes)
                + " to " + MemcgRaiseLimitAction.mib(oldBytes) + (memswOldBytes == null ? "" : ", then memsw to "
                + MemcgRaiseLimitAction.mib(memswOldBytes)) + ", usage having fallen well below it";
    }

    @Override
    public List<String> touches() {
        List<String> t = new ArrayList<>();
        t.add(limitFile().toString());
        if (memswFile() != null) {
            t.add(memswFile().toString());
        }
        return t;
    }

    @Override
    public List<String> commands() {
        List<String> c = new ArrayList<>();
        c.add("echo " + oldBytes + " > " + limitFile());
        if (memswFile() != null) {
            c.add("echo " + memswOldBytes + " > " + memswFile() + "   # only if it is still what the raise set");
        }
        return c;
    }

    @Override
    public String precheck() {
        Long now = MemcgRaiseLimitAction.readLimit(host, limitFile());
        if (now == null || Math.abs(now - raisedBytes) >= 4096) {
            return "the limit is no longer the one fix set (" + MemcgRaiseLimitAction.readRaw(host, limitFile()) + ")";
        }
        Long usage = MemcgUsage.parse(host.read(MemcgUsage.path(cgroupDir, version)).text());
        if (usage == null || usage > oldBytes * 9 / 10) {
            return "usage " + (usage == null ? "unknown" : MemcgRaiseLimitAction.mib(usage))
                    + " is still near the old limit " + MemcgRaiseLimitAction.mib(oldBytes);
        }
        return null;
    }

    @Override
    public String observe() {
        return MemcgRaiseLimitAction.observe(host, cgroupDir, version);
    }

    /** The limit first, then memsw only while it is still the value the raise wrote (else someone changed it since). */
    @Override
    public void apply() throws IOException {
        String refused = precheck();
        if (refused != null) {
            throw new IllegalStateException("refused: " + refused);
        }
        Files.writeString(limitFile(), Long.toString(oldBytes), StandardCharsets.US_ASCII);
        Path sw = memswFile();
        if (sw != null) {
            Long swNow = MemcgRaiseLimitAction.readLimit(host, sw);
            if (swNow != null && Math.abs(swNow - raisedBytes) < 4096) {
                Files.writeString(sw, Long.toString(memswOldBytes), StandardCharsets.US_ASCII);
            }
        }
    }

    private Path limitFile() {
        return MemcgLimit.path(cgroupDir, version);
    }

    /** The memsw file to put back, or null when the raise left memsw alone. */
    private Path memswFile() {
        return memswOldBytes == null ? null : MemcgRaiseLimitAction.memswFile(cgroupDir, version);
    }
}
