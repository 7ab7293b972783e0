package dev.hangdoctor.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into the API's own types (fabric8's generated model) and rejects what the schema does
 * not know: an unknown kind or apiVersion, a value of the wrong type, and any unknown field at any depth (the model
 * keeps those in additionalProperties instead of failing, so every object is walked for them).
 */
final class KubernetesSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/Namespace", Namespace.class, "v1/ServiceAccount", ServiceAccount.class, "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class, "apps/v1/DaemonSet", DaemonSet.class,
            "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private KubernetesSchema() {
    }

    /** Every document of a multi-document YAML text, as its typed object; throws naming the first problem. */
    static List<Object> read(String yaml) throws Exception {
        List<Object> out = new ArrayList<>();
        for (JsonNode doc : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<?> type = KINDS.get(key);
            if (type == null) {
                throw new IllegalArgumentException("unknown kind " + key);
            }
            Object o = STRICT.treeToValue(doc, type);
            List<String> unknown = new ArrayList<>();
            walk(o, key + " " + doc.path("metadata").path("name").asText(), unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("fields the schema does not know: " + unknown);
            }
            out.add(o);
        }
        return out;
    }

    private static void walk(Object o, String path, List<String> unknown, Map<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), unknown, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            walk(v, path + "." + Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4), unknown, seen);
        }
    }
}
