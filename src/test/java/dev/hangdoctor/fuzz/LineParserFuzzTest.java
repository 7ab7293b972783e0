package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.parse.FrameLineParser;
import dev.hangdoctor.parse.GoroutineSink;
import dev.hangdoctor.parse.KernelEventSink;
import dev.hangdoctor.parse.KernelLogPrefix;
import dev.hangdoctor.parse.LogLine;
import dev.hangdoctor.parse.LineSink;
import dev.hangdoctor.parse.TraceSink;
import dev.hangdoctor.procfs.PidStack;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-line parsers never throw on any text, and what they return is well-formed. */
class LineParserFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void kernelLogPrefix(byte[] data) {
        String raw = FuzzInput.text(data);
        LogLine line = KernelLogPrefix.strip(raw, 1);
        assertThat(line.message()).isNotNull();
        assertThat(line.prefix()).isNotNull();
        // the message is what is left of the line: never longer, never a different character at its end
        assertThat(raw).contains(line.message());
    }

    @FuzzTest(maxDuration = "1m")
    void frameLine(byte[] data) {
        String raw = FuzzInput.text(data);
        for (String line : new String[] {raw, raw.trim()}) {
            Frame f = FrameLineParser.parse(line);
            if (f != null) {
                assertThat(f.function()).isNotEmpty();
                FrameLineParser.isTerminator(f);
            }
        }
    }

    @FuzzTest(maxDuration = "1m")
    void procStack(byte[] data) {
        String text = FuzzInput.text(data);
        List<Frame> frames = PidStack.parse(text);
        assertThat(frames).hasSizeLessThanOrEqualTo(PidStack.MAX_FRAMES).doesNotContainNull();
    }

    /** Every line goes to every sink, as the reader does with its noise skipping turned off. */
    @FuzzTest(maxDuration = "2m")
    void sinks(byte[] data) {
        Evidence evidence = new Evidence();
        LineSink[] sinks = {new KernelEventSink(evidence, "fuzz"), new TraceSink(evidence, "fuzz"),
                new GoroutineSink(evidence, "fuzz")};
        long lineNo = 0;
        for (String raw : FuzzInput.text(data).split("\n", -1)) {
            LogLine line = KernelLogPrefix.strip(raw, ++lineNo);
            for (LineSink sink : sinks) {
                sink.accept(line);
            }
        }
        for (LineSink sink : sinks) {
            sink.finish();
        }
    }
}
