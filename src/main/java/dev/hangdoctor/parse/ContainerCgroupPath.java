package dev.hangdoctor.parse;

import dev.hangdoctor.model.ContainerRef;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the pod and container out of a task's cgroup path, as the kubelet and the runtimes name them: the cgroupfs
 * driver ({@code /kubepods/burstable/pod<uid>/<id>}), the systemd driver
 * ({@code kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope}, {@code crio-<id>.scope},
 * {@code docker-<id>.scope}), containerd's v1 systemd form ({@code ...pod<uid>.slice:cri-containerd:<id>}), and plain
 * Docker ({@code /docker/<id>}, {@code /system.slice/docker-<id>.scope}); cgroup v1 and v2 paths look the same.
 */
public final class ContainerCgroupPath {
    private static final Pattern POD_CGROUPFS = Pattern.compile("pod([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})");
    private static final Pattern POD_SYSTEMD = Pattern.compile(
            "kubepods(?:-(burstable|besteffort))?-pod([0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}|[0-9a-f]{32})\\.slice");
    private static final Pattern SCOPE = Pattern.compile("(cri-containerd|crio|docker)-([0-9a-f]{64})\\.scope");
    private static final Pattern COLON_FORM = Pattern.compile(":(cri-containerd|crio|docker):([0-9a-f]{64})$");
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{64}");

    private ContainerCgroupPath() {
    }

    /** The container of this cgroup path, or null when the path is not a container's. */
    public static ContainerRef parse(String path) {
        if (path == null || path.isEmpty() || path.length() > 4096) {
            return null;
        }
        String podUid = null;
        String qos = null;
        String runtime = null;
        String id = null;
        boolean kube = false;
        String[] segs = path.split("/");
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("kubepods") || s.startsWith("kubepods.slice") || s.startsWith("kubepods-")) {
                kube = true;
            }
            if (kube && (s.equals("burstable") || s.equals("besteffort"))) {
                qos = s;
            }
            Matcher m = POD_SYSTEMD.matcher(s);
            if (m.lookingAt()) {
                podUid = m.group(2).replace('_', '-');
                qos = m.group(1) != null ? m.group(1) : qos;
            } else if (kube && (m = POD_CGROUPFS.matcher(s)).matches()) {
                podUid = m.group(1);
            }
            Matcher c = COLON_FORM.matcher(s);
            if (c.find()) {
                runtime = runtimeName(c.group(1));
                id = c.group(2);
                continue;
            }
            Matcher sc = SCOPE.matcher(s);
            if (sc.matches()) {
                runtime = runtimeName(sc.group(1));
                id = sc.group(2);
            } else if (BARE_ID.matcher(s).matches() && (podUid != null || (i > 0 && segs[i - 1].equals("docker")))) {
                // cgroupfs driver: the runtime does not name itself in the path
                runtime = podUid != null ? null : "docker";
                id = s;
            }
        }
        if (id == null && podUid == null) {
            return null;
        }
        if (podUid != null && qos == null) {
            qos = "guaranteed";
        }
        return new ContainerRef(runtime, podUid == null ? null : podUid.toLowerCase(Locale.ROOT), id, podUid == null ? null : qos,
                null, null, null);
    }

    private static String runtimeName(String prefix) {
        return switch (prefix) {
            case "cri-containerd" -> "containerd";
            case "crio" -> "cri-o";
            default -> "docker";
        };
    }
}
