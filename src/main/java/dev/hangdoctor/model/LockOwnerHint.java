package dev.hangdoctor.model;

/**
 * The hung-task detector's own guess at who holds the lock a task sleeps on (Linux 6.16+:
 * "task X:PID is blocked on a mutex likely owned by task Y:PID2."), or one the diagnosis derived.
 */
public record LockOwnerHint(String lockKind, String lockAddress, String ownerComm, Integer ownerPid) {
}
