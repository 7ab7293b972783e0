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
    /**
     * Where `scan --save` keeps the names it found, one container a line: "id TAB namespace TAB pod TAB container"
     * ("-" for a name not known). Only the names: the runtime's state files hold the containers' environment, which
     * may carry secrets that have no place in a bundle attached to a ticket.
     */
    public static final String FILE = "hangdoctor/containers.txt";
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

    /** The {@link #FILE} text for the named containers of {@code ev}'s tasks (empty when none is named). */
    public static String format(Evidence ev) {
        Map<String, ContainerRef> named = new LinkedHashMap<>();
        for (Task t : ev.tasks()) {
            ContainerRef c = t.container();
            if (c != null && c.containerId() != null && named.size() < MAX_CONTAINERS
                    && (c.podNamespace() != null || c.podName() != null || c.containerName() != null)) {
                named.putIfAbsent(c.containerId(), c);
            }
        }
        StringBuilder b = new StringBuilder();
        for (ContainerRef c : named.values()) {
            b.append(field(c.containerId())).append('\t').append(field(c.podNamespace())).append('\t')
                    .append(field(c.podName())).append('\t').append(field(c.containerName())).append('\n');
        }
        return b.toString();
    }

    /**
     * Names the containers of a bundle's tasks from its {@link #FILE} text: each task whose cgroup path gives a
     * container id listed there. Lines that are not four fields are skipped; at most {@link #MAX_CONTAINERS} are used.
     */
    public static void applySaved(Evidence ev, String text) {
        Map<String, String[]> byId = new LinkedHashMap<>();
        for (String line : text.split("\n", MAX_CONTAINERS + 1)) {
            String[] f = line.split("\t", -1);
            if (f.length == 4 && !f[0].isEmpty() && !f[0].equals("-") && byId.size() < MAX_CONTAINERS) {
                byId.putIfAbsent(f[0], f);
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        Map<String, ContainerRef> byPath = new LinkedHashMap<>();
        for (Task t : ev.tasks()) {
            String cg = t.memoryCgroup();
            ContainerRef c = cg == null ? null : byPath.computeIfAbsent(cg, ContainerCgroupPath::parse);
            String[] f = c == null || c.containerId() == null ? null : byId.get(c.containerId());
            if (f != null) {
                t.container(c.withNames(name(f[1]), name(f[2]), name(f[3])));
            }
        }
    }

    /** A name as one field: tabs, line breaks and other control characters would break the line format. */
    private static String field(String v) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(v.length());
        v.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static String name(String field) {
        return field.isEmpty() || field.equals("-") ? null : field;
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
