package dev.hangdoctor.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one way config files are read: YAML bound by Jackson into the settings records of this package. Unknown and
 * repeated keys are errors, and every mistake becomes one IllegalArgumentException line that names the file, the line
 * and the key ({@code watch.yaml:12: unknown key api.allowAction (known: allowActions, tokenFile)}).
 */
public final class ConfigYaml {
    private static final String PREFIX = "hangdoctor.config.prefix";
    private static final ObjectMapper MAPPER = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "resolveAfter: 2.5" is a mistake, not 2
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigYaml() {
    }

    /** Reads {@code file} as {@code type}; null when the file holds no document (empty, or only comments). */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (JsonParser p = MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() == null) {
                return null;
            }
            return reader(type, "").readValue(p);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + oneLine(e, "", bytes), e);
        }
    }

    /** Binds an already parsed tree (tests, embedded sections); {@code prefix} is the key path it sits under. */
    public static <T> T bind(Map<String, ?> tree, Class<T> type, String prefix) {
        if (tree == null) {
            return null;
        }
        try {
            return reader(type, prefix).readValue((com.fasterxml.jackson.databind.JsonNode) MAPPER.valueToTree(tree));
        } catch (IOException e) {
            throw new IllegalArgumentException(message(e, prefix), e);
        }
    }

    private static ObjectReader reader(Class<?> type, String prefix) {
        return MAPPER.readerFor(type).withAttribute(PREFIX, prefix);
    }

    /** The line of the key at {@code path} (".api.allowAction", ".guard.protect[0].pid") in {@code yaml}, or 0. */
    private static int lineOf(byte[] yaml, String path) {
        try (JsonParser p = MAPPER.getFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && path.equals(contextPath(p.getParsingContext()))) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            // the document was read once already; no line is better than a second error
        }
        return 0;
    }

    private static String contextPath(JsonStreamContext start) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = start; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return String.join("", parts);
    }

    /** The key path of the value {@code p} is on, as written in messages: {@code guard.protect[0].comm}. */
    static String path(JsonParser p, DeserializationContext ctxt) {
        return join((String) ctxt.getAttribute(PREFIX), contextPath(p.getParsingContext()));
    }

    private static String join(String prefix, String path) {
        String p = path.startsWith(".") ? path.substring(1) : path;
        if (prefix == null || prefix.isEmpty()) {
            return p;
        }
        return p.isEmpty() ? prefix : p.startsWith("[") ? prefix + p : prefix + "." + p;
    }

    /** ": line N: message" (the caller puts the file in front). */
    private static String oneLine(IOException e, String prefix, byte[] source) {
        JsonLocation at = e instanceof JacksonException j ? j.getLocation() : null;
        if (e instanceof UnrecognizedPropertyException u && source != null) {
            // records are built from buffered properties, so an unknown one is reported after its mapping ended;
            // the key's own line is found by reading the file again
            int line = lineOf(source, pathOf(u));
            return (line > 0 ? ":" + line : "") + ": " + message(e, prefix);
        }
        String line = at != null && at.getLineNr() > 0 ? ":" + at.getLineNr() : "";
        return line + ": " + message(e, prefix);
    }

    private static String message(IOException e, String prefix) {
        if (e instanceof ConfigValueException v) {
            return v.getOriginalMessage();
        }
        if (e instanceof JsonMappingException m) {
            String path = join(prefix, pathOf(m));
            String where = path.isEmpty() ? "the top level" : path;
            if (m instanceof UnrecognizedPropertyException u) {
                Collection<String> known = new TreeSet<>();
                u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
                return "unknown key " + where + " (known: " + String.join(", ", known) + ")";
            }
            if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                Object value = m instanceof InvalidFormatException f ? f.getValue() : null;
                return where + " must be " + describe(mi.getTargetType()) + (value == null ? "" : ", not '" + value + "'");
            }
            Throwable cause = m.getCause();
            if (cause instanceof IllegalArgumentException) {
                return firstLine(cause.getMessage());
            }
            return where + ": " + firstLine(m.getOriginalMessage());
        }
        String original = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return "not valid YAML: " + firstLine(original);
    }

    private static String pathOf(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String describe(Class<?> t) {
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
            return "a number";
        }
        if (t == String.class) {
            return "a single value";
        }
        if (Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "a mapping";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
