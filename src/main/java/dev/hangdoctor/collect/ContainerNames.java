package dev.hangdoctor.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.model.ContainerRef;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.parse.ContainerCgroupPath;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the pods and containers of a live scan's tasks: the pod UID and container id come from each task's cgroup
 * path; the pod's namespace and name and the container's name from what the runtime keeps on the node — containerd's
 * and CRI-O's OCI bundle config.json (CRI annotations), Docker's config.v2.json (the kubelet's labels, or the
 * container's own name). Each file is read once per container through the timed reader, so a runtime directory on
 * a hung disk costs a timeout, not the scan; at most {@link #MAX_CONTAINERS} containers are looked up.
 */
public final class ContainerNames {
    static final int MAX_CONTAINERS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PER_READ_NANOS = 300_000_000L;

    private ContainerNames() {
    }

    /** Sets each task's container (with names where the runtime's state has them); reads stop at {@code deadline}. */
    public static void fill(Path root, Evidence ev, TimedReader reader, long deadlineNanos) {
        Map<String, ContainerRef> byPath = new LinkedHashMap<>();
        Map<String, ContainerRef> named = new LinkedHashMap<>();
        for (Task t : ev.tasks()) {
            String cg = t.memoryCgroup();
            if (cg == null) {
                continue;
            }
            ContainerRef c = byPath.computeIfAbsent(cg, ContainerCgroupPath::parse);
            if (c == null) {
                continue;
            }
            if (c.containerId() != null && !named.containsKey(c.containerId()) && named.size() < MAX_CONTAINERS
                    && System.nanoTime() < deadlineNanos) {
                named.put(c.containerId(), lookUp(root, c, reader, deadlineNanos));
            }
            ContainerRef n = c.containerId() == null ? null : named.get(c.containerId());
            t.container(n != null ? n : c);
        }
    }

    private static ContainerRef lookUp(Path root, ContainerRef c, TimedReader reader, long deadline) {
        String id = c.containerId();
        List<Path> candidates = new ArrayList<>();
        if (c.runtime() == null || c.runtime().equals("containerd")) {
            candidates.add(root.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io").resolve(id).resolve("config.json"));
            candidates.add(root.resolve("run/containerd/io.containerd.runtime.v2.task/moby").resolve(id).resolve("config.json"));
        }
        if (c.runtime() == null || c.runtime().equals("cri-o")) {
            candidates.add(root.resolve("run/containers/storage/overlay-containers").resolve(id).resolve("userdata/config.json"));
        }
        if (c.runtime() == null || c.runtime().equals("docker")) {
            candidates.add(root.resolve("var/lib/docker/containers").resolve(id).resolve("config.v2.json"));
        }
        for (Path p : candidates) {
            Result r = reader.run(Op.read(p), false, PER_READ_NANOS, deadline);
            if (r.ok() && r.text() != null) {
                ContainerRef named = names(c, r.text());
                if (named != null) {
                    return named;
                }
            }
        }
        return c;
    }

    /** The names in one runtime state file's text (an OCI config.json or Docker's config.v2.json), or null. */
    static ContainerRef names(ContainerRef c, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        if (root == null) {
            return null;
        }
        JsonNode a = root.path("annotations"); // OCI runtime spec: containerd (CRI) and CRI-O
        if (a.isObject()) {
            String ns = first(a, "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace");
            String pod = first(a, "io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name");
            String name = first(a, "io.kubernetes.cri.container-name", "io.kubernetes.container.name");
            if (ns != null || pod != null || name != null) {
                return c.withNames(ns, pod, name);
            }
        }
        JsonNode labels = root.path("Config").path("Labels"); // Docker: the kubelet's labels (dockershim, cri-dockerd)
        if (labels.isObject()) {
            String pod = first(labels, "io.kubernetes.pod.name");
            if (pod != null) {
                return c.withNames(first(labels, "io.kubernetes.pod.namespace"), pod,
                        first(labels, "io.kubernetes.container.name"));
            }
        }
        String dockerName = root.path("Name").asText(null); // a plain Docker container: "/web"
        if (dockerName != null && !dockerName.isEmpty()) {
            return c.withNames(null, null, dockerName.startsWith("/") ? dockerName.substring(1) : dockerName);
        }
        return null;
    }

    private static String first(JsonNode o, String... keys) {
        for (String k : keys) {
            JsonNode v = o.get(k);
            if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return null;
    }
}
