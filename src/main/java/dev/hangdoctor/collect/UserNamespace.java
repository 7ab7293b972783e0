package dev.hangdoctor.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process runs in a user namespace other than the host's initial one (an unprivileged container,
 * `unshare -U`): there root is root only of the namespace, and the kernel refuses it what needs the host's root
 * (kernel stacks, /dev/kmsg, mounting fusectl), so "run as root" is no advice to give.
 */
public final class UserNamespace {
    /** The initial namespace maps every uid onto itself: uid_map's one line "0 0 4294967295". */
    private static final List<String> IDENTITY = List.of("0", "0", "4294967295");

    private UserNamespace() {
    }

    /** True when {@code proc}/self/uid_map shows a namespace other than the initial one; false when unknown. */
    public static boolean nested(Path proc) {
        try {
            List<String> lines = Files.readAllLines(proc.resolve("self").resolve("uid_map"), StandardCharsets.UTF_8)
                    .stream().filter(l -> !l.isBlank()).toList();
            return !(lines.size() == 1 && List.of(lines.get(0).trim().split("\\s+")).equals(IDENTITY));
        } catch (IOException | RuntimeException e) {
            return false; // a copied tree or no uid_map: nothing says so
        }
    }
}
