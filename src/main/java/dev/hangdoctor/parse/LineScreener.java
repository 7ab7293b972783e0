package dev.hangdoctor.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a stream into lines and screens each one: the part of reading that depends only on the line itself (its log
 * prefix, whether any recogniser could start a record with it, whether it may hold records inside or be the head of
 * a wrapped line), so that it can run a batch ahead of the parsing, on a core of its own for a big file.
 */
final class LineScreener {
    private final BoundedLineReader reader;
    private final LineScreen screen;
    private final KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
    private String markedText;
    private boolean marked;
    /** The reader stands on a line that belongs to the next batch (a new text began). */
    private boolean held;

    LineScreener(InputStream in, LineScreen screen) {
        this.reader = new BoundedLineReader(in);
        this.screen = screen;
    }

    BoundedLineReader reader() {
        return reader;
    }

    /**
     * Fills {@code into} with the next lines, all from one text (a line spilled across two reads has a text of its
     * own); false at the end of the stream.
     */
    boolean fill(ScreenedLines into) throws IOException {
        into.count = 0;
        into.text = null;
        while (into.count < ScreenedLines.CAPACITY) {
            if (!held && !(held = reader.next())) {
                break;
            }
            String text = reader.text();
            if (into.text == null) {
                into.text = text;
                into.marked = marks(text);
            } else if (text != into.text) {
                break; // the line stays pending for the next batch, which starts a new text
            }
            held = false;
            screenLine(into, into.count++, text);
        }
        return into.count > 0;
    }

    private boolean marks(String text) {
        if (text != markedText) {
            markedText = text;
            marked = PastedText.showsMarks(text);
        }
        return marked;
    }

    private void screenLine(ScreenedLines into, int i, String text) {
        int start = reader.start();
        int rawEnd = reader.end();
        into.start[i] = start;
        into.end[i] = rawEnd;
        boolean ascii = reader.ascii();
        into.ascii[i] = ascii;
        into.noise[i] = false;
        if (!ascii) {
            return;
        }
        int end = rawEnd > start && text.charAt(rawEnd - 1) == '\r' ? rawEnd - 1 : rawEnd;
        KernelLogPrefix.locate(text, start, end, cut);
        int from = cut.message;
        int next = rawEnd + 1 < text.length() ? text.charAt(rawEnd + 1) : -1;
        // a collector's time alone before another tool's line: the paste reader takes the time off and reads the rest
        // as if it came alone, so the line's style is the rest's, none (the time is no kernel log format)
        into.style[i] = cut.collector ? "none" : cut.style;
        into.message[i] = from;
        into.noise[i] = !screen.maybe(text, from, end)
                && !(("none".equals(cut.style) || cut.collector || end - start >= PastedText.COLLAPSED)
                        && PastedText.mayHoldEmbedded(text, from, end))
                && !PastedText.mayStartWrap(cut.style, text, start, end, next);
    }
}
