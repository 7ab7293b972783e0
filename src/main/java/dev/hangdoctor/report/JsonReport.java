package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hangdoctor.diagnose.Diagnosis;

/** The `--json` view of a diagnosis: the stable document other tools read (schema in the README). */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(Diagnosis d) {
        try {
            return MAPPER.writeValueAsString(d);
        } catch (Exception e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }
}
