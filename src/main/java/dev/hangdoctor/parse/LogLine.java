package dev.hangdoctor.parse;

/**
 * One line of evidence with its log prefix taken off: {@code message} is what the kernel (or tool) printed,
 * {@code timestamp} the seconds-since-boot (or epoch seconds for wall-clock prefixes) when the prefix gave one,
 * {@code prefix} which prefix style was found (see {@link KernelLogPrefix}), {@code lineNo} 1-based.
 */
public record LogLine(String message, Double timestamp, String prefix, long lineNo) {
}
