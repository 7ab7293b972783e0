package dev.hangdoctor.model;

/** Which stack a frame ran on: a task's own, or an interrupt/exception stack entered from it. */
public enum StackContext { TASK, IRQ, SOFTIRQ, NMI, EXCEPTION }
