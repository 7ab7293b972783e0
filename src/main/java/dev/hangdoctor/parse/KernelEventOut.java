package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.Map;

/** Where the kernel message readers put what they recognised: one event of {@code line}. Returns true. */
@FunctionalInterface
interface KernelEventOut {
    boolean emit(LogLine line, KernelEventKind kind, Integer pid, String comm, Integer cpu, Map<String, String> fields);
}
