package dev.hangdoctor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** A config value that is not what its key takes; its message is already the whole line, key path included. */
final class ConfigValueException extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    ConfigValueException(JsonParser p, String message) {
        super(p, message);
    }
}
