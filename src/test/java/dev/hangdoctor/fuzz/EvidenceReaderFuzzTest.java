package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.BoundedLineReader;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.parse.UnrecognisedEvidenceException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes through the line reader and every recogniser (kernel events, traces, goroutines): the only failure
 * allowed is the one-line "not text evidence" of {@link UnrecognisedEvidenceException}.
 */
class EvidenceReaderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void evidenceReader(byte[] data) throws IOException {
        Evidence e;
        try {
            e = EvidenceReader.read(new ByteArrayInputStream(data), "fuzz");
        } catch (UnrecognisedEvidenceException ex) {
            assertThat(ex.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(e).isNotNull();
        e.isEmpty();
    }

    /**
     * The reader gives back exactly the lines of the input (none is longer than the cut-off here), or none of an
     * input that looks binary.
     */
    @FuzzTest(maxDuration = "1m")
    void lineReader(byte[] data) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(data));
        List<String> lines = new ArrayList<>();
        for (String l = reader.readLine(); l != null; l = reader.readLine()) {
            lines.add(l);
        }
        if (reader.binaryFrom() >= 0) {
            // binary input ends the reader where text stops; an input this short can only look binary from its head
            assertThat(reader.binaryFrom()).isZero();
            assertThat(reader.looksBinary()).isTrue();
            assertThat(lines).isEmpty();
            return;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!expected.isEmpty() && expected.get(expected.size() - 1).isEmpty()) {
            expected.remove(expected.size() - 1);
        }
        // bytes are decoded line by line, so a broken UTF-8 sequence across a newline reads the same either way
        assertThat(lines).isEqualTo(expected);
        assertThat(reader.truncatedLines()).isZero();
        assertThat(reader.bytesRead()).isEqualTo(data.length);
    }
}
