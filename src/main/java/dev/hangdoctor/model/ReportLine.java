package dev.hangdoctor.model;

/**
 * One line of a report's own words (a line no parser took): its text without the indentation, where it stood in the
 * file (0 when not known), how far it was indented (a call tree written by hand steps right), and its place among the
 * lines read (0 when not known): a page's double spacing undone, two lines that were next to each other are again.
 */
public record ReportLine(String text, long lineNo, int indent, long seq) {
}
