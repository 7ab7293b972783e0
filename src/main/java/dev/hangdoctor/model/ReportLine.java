package dev.hangdoctor.model;

/**
 * One line of a report's own words (a line no parser took): its text without the indentation, where it stood in the
 * file (0 when not known), and how far it was indented (a call tree written by hand steps right).
 */
public record ReportLine(String text, long lineNo, int indent) {
}
