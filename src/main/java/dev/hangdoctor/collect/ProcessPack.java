package dev.hangdoctor.collect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files of one process as a bundle of the agent keeps them: in text files of their own,
 * proc/PID/{@value #PREFIX}N{@value #SUFFIX} (N from 1), instead of a directory per thread and a file per read
 * (task/TID/stat, wchan, status, stack, cgroup, ns/pid.link, fd/N.link, fdinfo/N, ...). Creating files is what a
 * bundle costs (0.1-1 ms each on a busy ext4, against about 10 us a /proc read), and a process's threads are most
 * of them. Each record is a line "PATH LENGTH" (PATH relative to proc/PID, as the plain bundle would name the file),
 * then the file's text of LENGTH characters, then a newline: no text (a task's name is anyone's choice) can pass for a
 * record's head. A pack file stays under {@link TimedReader#MAX_BYTES}; a process with more goes on in the next N,
 * and so does a file read after the scan moved on to other processes. {@link ProcTreeReader} reads a bundle's packs
 * and plain files as one tree (a held bundle that overflowed to disk mid-scan has both).
 */
final class ProcessPack {
    static final String PREFIX = "hangdoctor-pack.";
    static final String SUFFIX = ".txt";
    /**
     * A pack file is closed once it holds this many characters; with at most {@link #MAX_RECORD} more and three
     * bytes a character at worst it stays under the reader's byte cap.
     */
    static final int MAX_CHARS = 48 * 1024;
    /** A longer file is saved as a file of its own, not packed. */
    static final int MAX_RECORD = 16 * 1024;

    private ProcessPack() {
    }

    /** The N-th pack file of a process (N from 1). */
    static Path path(Path proc, int pid, int n) {
        return proc.resolve(Integer.toString(pid)).resolve(PREFIX + n + SUFFIX);
    }

    /** Whether {@code name} is a pack file's name. */
    static boolean isPackName(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /**
     * A path a pack keeps: names of lower-case letters, digits, '_', '-' and '.' (as /proc's per-process files are
     * named, a saved link with its ".link"), separated by '/', none of them "." or "..", and not a pack file.
     */
    static boolean isKey(String key) {
        if (key.isEmpty() || key.length() > 200 || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/')) {
                return false;
            }
        }
        for (String part : key.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return !isPackName(key);
    }

    /** Builds one pack file's text. */
    static final class Writer {
        private final StringBuilder b = new StringBuilder();

        void add(String key, String text) {
            b.append(key).append(' ').append(text.length()).append('\n').append(text).append('\n');
        }

        /** Whether the next file should start a new pack. */
        boolean full() {
            return b.length() >= MAX_CHARS;
        }

        boolean isEmpty() {
            return b.length() == 0;
        }

        String text() {
            return b.toString();
        }
    }

    /** What the pack files of one process hold: each file's text by its path under proc/PID. */
    static final class Contents {
        private final Map<String, String> files = new LinkedHashMap<>();
        private String problem;

        /** The text of the file at {@code key} (relative to proc/PID), or null when no pack holds it. */
        String text(String key) {
            return files.get(key);
        }

        boolean isEmpty() {
            return files.isEmpty();
        }

        /**
         * The names directly under {@code dir} (relative to proc/PID): with {@code dirsOnly}, those with files below
         * them, else every name (files and directories).
         */
        List<String> children(String dir, boolean dirsOnly) {
            String prefix = dir + "/";
            Set<String> out = new LinkedHashSet<>();
            for (String k : files.keySet()) {
                if (k.startsWith(prefix)) {
                    String rest = k.substring(prefix.length());
                    int slash = rest.indexOf('/');
                    if (slash >= 0) {
                        out.add(rest.substring(0, slash));
                    } else if (!dirsOnly) {
                        out.add(rest);
                    }
                }
            }
            return new ArrayList<>(out);
        }

        /** Why a pack was not read to its end, or null. */
        String problem() {
            return problem;
        }

        /**
         * Adds the records of one pack file's text; stops at the first one that does not parse (and says so in
         * {@link #problem}), keeping those before it.
         */
        void addText(String text, String name) {
            int at = 0;
            int n = text.length();
            while (at < n) {
                int eol = text.indexOf('\n', at);
                String[] head = eol < 0 ? new String[0] : text.substring(at, eol).split(" ");
                long len = head.length == 2 && ProcTreeReader.isNumber(head[1]) ? Long.parseLong(head[1]) : -1;
                if (len < 0 || !isKey(head[0]) || eol + 1 + len >= n || text.charAt((int) (eol + 1 + len)) != '\n') {
                    problem = name + ": record " + (files.size() + 1) + " does not parse (cut short?); the records"
                            + " before it are read";
                    return;
                }
                files.put(head[0], text.substring(eol + 1, (int) (eol + 1 + len)));
                at = (int) (eol + 2 + len);
            }
        }
    }
}
