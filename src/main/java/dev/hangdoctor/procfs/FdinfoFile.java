package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/PID/fdinfo/FD: `key:<tab>value` lines. A userfaultfd prints `pending:`, `total:` and `API:`; a /dev/fuse fd
 * on newer kernels prints `fuse_connection:` (the /sys/fs/fuse/connections id); every fd prints `ino:`.
 */
public final class FdinfoFile {
    private final Map<String, String> fields;

    private FdinfoFile(Map<String, String> fields) {
        this.fields = fields;
    }

    /** The fdinfo of descriptor {@code fd} of a process under a proc root. */
    public static Path path(Path procRoot, int pid, int fd) {
        return procRoot.resolve(Integer.toString(pid)).resolve("fdinfo").resolve(Integer.toString(fd));
    }

    /** Parses the whole file; at most 64 keys, the first of a repeated key wins. */
    public static FdinfoFile parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && out.size() < 64) {
                    out.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        }
        return new FdinfoFile(out);
    }

    public String get(String key) {
        return fields.get(key);
    }

    public Long number(String key) {
        return ProcNumbers.parseLong(fields.get(key));
    }

    /** Faults queued and not yet read by the handler. */
    public Long uffdPending() {
        return number("pending");
    }

    /** All faults waiting on the uffd (pending plus read but not yet resolved); some sources call it total_pages. */
    public Long uffdTotal() {
        Long v = number("total");
        return v != null ? v : number("total_pages");
    }

    public String inode() {
        return fields.get("ino");
    }

    public Long fuseConnection() {
        return number("fuse_connection");
    }
}
