package dev.hangdoctor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kubernetes manifests in deploy/ against the API schema, and the promises their comments make. */
class DeployManifestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Object> read(String file) throws Exception {
        return KubernetesSchema.read(Files.readString(PromTools.deployDir().resolve(file)));
    }

    private static <T> T one(List<Object> docs, Class<T> type, String name) {
        return docs.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> ((io.fabric8.kubernetes.api.model.HasMetadata) o).getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void theSchemaCheckRejectsUnknownFieldsAndWrongTypes() {
        String ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
                + "      hostPid: true\n      containers: [{name: c, image: i}]\n";
        assertThatThrownBy(() -> KubernetesSchema.read(ds)).hasMessageContaining("hostPid");
        assertThatThrownBy(() -> KubernetesSchema.read("apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
                + "spec: {ports: [{port: many}]}\n")).isNotNull();
        assertThatThrownBy(() -> KubernetesSchema.read("apiVersion: v1\nkind: Pods\nmetadata: {name: x}\n"))
                .hasMessageContaining("unknown kind");
    }

    @Test
    void agentDaemonSetKeepsTheApiOnLoopbackAndTheTokenOutOfTheAgent() throws Exception {
        List<Object> docs = read("daemonset.yaml");
        assertThat(docs).hasSizeGreaterThanOrEqualTo(8);
        DaemonSet ds = one(docs, DaemonSet.class, "hangdoctor");
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(one(docs, ServiceAccount.class, "hangdoctor").getAutomountServiceAccountToken()).isFalse();
        Container agent = pod.getContainers().stream().filter(c -> c.getName().equals("hangdoctor")).findFirst().orElseThrow();
        assertThat(agent.getVolumeMounts()).noneMatch(m -> m.getMountPath().startsWith("/var/run/secrets"));
        assertThat(agent.getCommand()).contains("-jar", "/opt/hangdoctor/hangdoctor.jar", "watch");
        String watchYaml = one(docs, ConfigMap.class, "hangdoctor").getData().get("watch.yaml");
        assertThat(watchYaml).contains("listen: 127.0.0.1:9462");
        Container proxy = pod.getContainers().stream().filter(c -> c.getName().equals("kube-rbac-proxy")).findFirst().orElseThrow();
        assertThat(proxy.getArgs()).contains("--allow-paths=/metrics", "--upstream=http://127.0.0.1:9462/");
        String port = proxy.getPorts().get(0).getName();
        Service svc = one(docs, Service.class, "hangdoctor");
        assertThat(svc.getSpec().getSelector()).isEqualTo(ds.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo(port);
        ServiceMonitor sm = one(docs, ServiceMonitor.class, "hangdoctor");
        assertThat(sm.getSpec().getSelector().getMatchLabels()).isEqualTo(svc.getMetadata().getLabels());
        assertThat(sm.getSpec().getEndpoints().get(0).getPort()).isEqualTo(svc.getSpec().getPorts().get(0).getName());
        assertThat(sm.getSpec().getEndpoints().get(0).getScheme()).isEqualTo("https");
    }

    @Test
    void nodeProblemDetectorRunsTheFastPathAgainstTheAgentsSocket() throws Exception {
        List<Object> docs = read("node-problem-detector.yaml");
        JsonNode shipped = JSON.readTree(PromTools.deployDir().resolve("npd-custom-plugin.json").toFile());
        JsonNode embedded = JSON.readTree(one(docs, ConfigMap.class, "hangdoctor-npd").getData().get("hangdoctor-plugin.json"));
        assertThat(embedded).isEqualTo(shipped);
        assertThat(shipped.at("/conditions/0/type").asText()).isEqualTo("KernelDeadlock");
        JsonNode rule = shipped.at("/rules/0");
        assertThat(rule.path("condition").asText()).isEqualTo("KernelDeadlock");
        List<String> args = JSON.convertValue(rule.path("args"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        // the shell fast path shipped beside the jar (no JVM while the agent answers, no Maven at run time)
        assertThat(rule.path("path").asText()).isEqualTo("/opt/hangdoctor/hangdoctor-check");
        assertThat(PromTools.deployDir().resolve("hangdoctor-check")).isExecutable();
        assertThat(args).containsExactly("--agent-socket", "/var/lib/hangdoctor/check.sock");
        String socket = args.get(args.indexOf("--agent-socket") + 1);
        DaemonSet npd = one(docs, DaemonSet.class, "hangdoctor-npd");
        Container c = npd.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getVolumeMounts()).anyMatch(m -> socket.startsWith(m.getMountPath() + "/"));
        // the agent's state directory is where the socket is made
        DaemonSet agent = one(read("daemonset.yaml"), DaemonSet.class, "hangdoctor");
        assertThat(agent.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsSequence("--state-dir", socket.substring(0, socket.lastIndexOf('/')));
        // NPD kills a plugin at its timeout; it must fit in the interval
        assertThat(shipped.at("/pluginConfig/timeout").asText()).isEqualTo(rule.path("timeout").asText());
    }

    @Test
    void nodeHealthCheckRemediatesOnTheConditionTheRecipeSets() throws Exception {
        JsonNode plugin = JSON.readTree(PromTools.deployDir().resolve("npd-custom-plugin.json").toFile());
        String condition = plugin.at("/rules/0/condition").asText();
        JsonNode nhc = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(PromTools.deployDir().resolve("node-healthcheck.yaml").toFile());
        assertThat(nhc.path("apiVersion").asText()).isEqualTo("remediation.medik8s.io/v1alpha1");
        assertThat(nhc.path("kind").asText()).isEqualTo("NodeHealthCheck");
        JsonNode spec = nhc.path("spec");
        // the fields NHC requires: a selector, and one remediation template naming a kind that ends in Template
        assertThat(spec.path("selector").isObject()).isTrue();
        assertThat(spec.at("/remediationTemplate/kind").asText()).endsWith("Template");
        assertThat(List.of("apiVersion", "kind", "name", "namespace"))
                .allMatch(f -> !spec.path("remediationTemplate").path(f).asText().isEmpty());
        // its defaults (Ready False/Unknown) are kept beside the hang condition, as a string status and a duration
        assertThat(spec.path("unhealthyConditions").findValuesAsText("type")).contains("Ready", condition);
        for (JsonNode c : spec.path("unhealthyConditions")) {
            assertThat(c.path("status").isTextual()).as(c.toString()).isTrue();
            assertThat(c.path("duration").asText()).as(c.toString()).matches("[0-9]+[smh]");
        }
        // draino has no default: the file's comment names the condition to pass it
        assertThat(Files.readString(PromTools.deployDir().resolve("node-healthcheck.yaml"))).contains("draino [flags] " + condition);
    }
}
