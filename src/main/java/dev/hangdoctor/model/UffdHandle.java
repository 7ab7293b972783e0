package dev.hangdoctor.model;

/** One open userfaultfd descriptor: which process holds it, its fdinfo `pending:` count, and its inode id. */
public record UffdHandle(int pid, int fd, Long pending, Long totalPages, String inode) {
}
