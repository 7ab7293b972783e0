/**
 * Real kernel hangs on demand, for live tests: each class builds one shape with small C helpers, waits until the
 * kernel shows it (state and /proc stack), exposes the pids, mount, connection or cgroup involved, and tears it
 * all down on {@code close()} (also from a shutdown hook; leftovers of a killed JVM are swept on next use).
 *
 * <pre>{@code
 * @Test
 * void findsTheBlocker() {
 *     LivePreconditions.assumeFuseHangs();              // skips unless root, gcc, /dev/fuse
 *     try (HungFuseDaemon hang = HungFuseDaemon.stoppedCluster(8)) {
 *         // hang.daemonPid(), hang.waiters(), hang.connectionId(), hang.mountPoint()
 *     }
 * }
 * }</pre>
 *
 * Never stat, open or walk a hung mount from the JVM, and never read /proc/PID/cmdline or environ of a hung task:
 * either can block the test forever. Run clients as helpers ({@code HelperProcess.start("fsop", ...)}).
 */
package dev.hangdoctor.live;
