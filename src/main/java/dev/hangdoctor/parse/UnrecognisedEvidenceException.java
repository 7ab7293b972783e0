package dev.hangdoctor.parse;

import java.io.IOException;

/** An evidence file that holds nothing hangdoctor understands; its message is the one line the user sees. */
public final class UnrecognisedEvidenceException extends IOException {
    public UnrecognisedEvidenceException(String message) {
        super(message);
    }
}
