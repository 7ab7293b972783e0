package dev.hangdoctor.model;

/**
 * The container a task runs in, as its cgroup path says (runtime, pod UID, container id, QoS class) and, where the
 * runtime's state on the node says so, the pod's namespace and name and the container's name (null when unknown).
 */
public record ContainerRef(String runtime, String podUid, String containerId, String qos, String podNamespace,
                           String podName, String containerName) {

    /** The same container with the names the runtime's state gave (nulls keep what is known). */
    public ContainerRef withNames(String namespace, String pod, String container) {
        return new ContainerRef(runtime, podUid, containerId, qos, namespace != null ? namespace : podNamespace,
                pod != null ? pod : podName, container != null ? container : containerName);
    }

    /** A 12-character container id, as runtimes' CLIs show it. */
    public String shortId() {
        return containerId == null ? null : containerId.substring(0, Math.min(12, containerId.length()));
    }

    /** "pod default/web-0 container nginx (pod uid 4f1c..., containerd 2032491dcae3)", or what of it is known. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (podName != null) {
            sb.append("pod ").append(podNamespace == null ? "" : podNamespace + "/").append(podName);
        } else if (podUid != null) {
            sb.append("pod uid ").append(podUid);
        }
        if (containerName != null) {
            sb.append(sb.length() > 0 ? " " : "").append("container ").append(containerName);
        }
        StringBuilder ids = new StringBuilder();
        if (podName != null && podUid != null) {
            ids.append("pod uid ").append(podUid);
        }
        if (containerId != null) {
            ids.append(ids.length() > 0 ? ", " : "").append(runtime == null ? "container" : runtime).append(' ')
                    .append(shortId());
        }
        if (sb.length() == 0) {
            return ids.toString();
        }
        return ids.length() == 0 ? sb.toString() : sb + " (" + ids + ")";
    }
}
