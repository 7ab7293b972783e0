package dev.hangdoctor.parse;

import java.nio.charset.StandardCharsets;

/**
 * Up to {@link #CAPACITY} lines of one read buffer, each with what the line screen said of it: where the line is,
 * whether it is plain ASCII, and whether it could be skipped as noise while no recogniser has a record open (with
 * its prefix style and message start, which the skip path records). Filled by {@link LineScreener}, read by
 * {@link EvidenceReader}; reused once read.
 */
final class ScreenedLines {
    static final int CAPACITY = 4096;

    /** The text holding the lines, one char per byte (Latin-1): a read buffer, or one long line of its own. */
    String text;
    /** Whether {@link #text} shows a mark of quoted-printable or HTML entities anywhere (see PastedText.scanBuffer). */
    boolean marked;
    int count;
    final int[] start = new int[CAPACITY];
    /** Where each line ends, before its newline (a CR before it is still in). */
    final int[] end = new int[CAPACITY];
    final boolean[] ascii = new boolean[CAPACITY];
    /** The screen's verdict: nothing a recogniser reads starts here, so the line is noise while all are idle. */
    final boolean[] noise = new boolean[CAPACITY];
    final String[] style = new String[CAPACITY];
    final int[] message = new int[CAPACITY];

    /** Line i as UTF-8 (the text holds its bytes one per char). */
    String decode(int i) {
        if (ascii[i]) {
            return text.substring(start[i], end[i]);
        }
        return new String(text.substring(start[i], end[i]).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
