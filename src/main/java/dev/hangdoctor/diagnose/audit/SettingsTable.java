package dev.hangdoctor.diagnose.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The settings that make a hang worse, kept as data in the classpath's audit/settings.yaml. */
public final class SettingsTable {
    /** Classpath location of the built-in table. */
    public static final String BUILT_IN = "audit/settings.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> KEYS = Set.of("key", "when", "risk", "recommended");

    private final List<SettingRule> rules;

    private SettingsTable(List<SettingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The built-in table; a missing or broken resource is a packaging bug, so it throws. */
    public static SettingsTable builtIn() {
        try (InputStream in = SettingsTable.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUILT_IN + ": " + e.getMessage(), e);
        }
    }

    /** A table of exactly these entries (tests). */
    public static SettingsTable of(List<SettingRule> rules) {
        return new SettingsTable(rules);
    }

    /** Parses the YAML text of a table; throws IllegalArgumentException naming the bad entry. */
    public static SettingsTable parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid YAML: " + e.getOriginalMessage());
        }
        JsonNode list = root == null ? null : root.get("settings");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("a settings table needs a 'settings' list");
        }
        List<SettingRule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list) {
            i++;
            String what = "setting " + i;
            if (!n.isObject()) {
                throw new IllegalArgumentException(what + " is not a mapping (key, when, risk, recommended)");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException(what + ": unknown key " + k + " (allowed: key, when, risk, recommended)");
                }
            }
            rules.add(new SettingRule(required(n, "key", what), ValueTest.parse(required(n, "when", what)),
                    required(n, "risk", what), required(n, "recommended", what)));
        }
        return new SettingsTable(rules);
    }

    private static String required(JsonNode n, String key, String what) {
        JsonNode v = n.get(key);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(what + ": missing '" + key + "'");
        }
        return v.asText().strip();
    }

    public List<SettingRule> rules() {
        return rules;
    }

    /** The distinct keys of the table, in order (so a reader knows which sysctls to fetch). */
    public List<String> keys() {
        return rules.stream().map(SettingRule::key).distinct().toList();
    }
}
