package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.hangdoctor.parse.TraceFixtures.functions;
import static dev.hangdoctor.parse.TraceFixtures.parse;
import static dev.hangdoctor.parse.TraceFixtures.parseFixture;
import static org.assertj.core.api.Assertions.assertThat;

/** procps `ps` tables without a task id column, with the command before other columns, and rows without header. */
class PsTableBlockTest {

    private static List<Task> anonymous(Evidence e) {
        return e.tasks().stream().filter(t -> t.pid() < 0).collect(Collectors.toList());
    }

    @Test
    void aTableWithoutATaskIdMakesTasksTheEvidenceDoesNotNameAndReadsTheColumnsAfterTheCommand() throws Exception {
        Evidence e = parseFixture("ps-o-cmd-before-wchan-procps4.txt");
        assertThat(e.formats()).contains("ps");
        List<Task> unnamed = anonymous(e);
        assertThat(unnamed).as("the five rows of `ps -o ppid,state,cmd,wchan:32`, no pid guessed").hasSize(5)
                .allMatch(t -> t.ppid() != null);
        Task rcu = unnamed.stream().filter(t -> "rcu_preempt".equals(t.comm())).findFirst().orElseThrow();
        assertThat(rcu.ppid()).isEqualTo(2);
        assertThat(rcu.state()).isEqualTo(TaskState.IDLE);
        assertThat(functions(rcu)).containsExactly("rcu_gp_fqs_loop");
        // procps cut CMD to its 27 columns ("[kworker/0:0H-events_highpr"), the WCHAN after it is still read; the
        // name is the kernel's own, without the workqueue /proc adds after '-'
        Task cut = unnamed.stream().filter(t -> t.comm().startsWith("kworker/0:0H")).findFirst().orElseThrow();
        assertThat(cut.comm()).isEqualTo("kworker/0:0H");
        assertThat(functions(cut)).containsExactly("worker_thread");
        Task kthreadd = unnamed.stream().filter(t -> "kthreadd".equals(t.comm())).findFirst().orElseThrow();
        assertThat(kthreadd.ppid()).isEqualTo(0);

        Task rescuer = e.taskOrNull(4);
        assertThat(rescuer.comm()).isEqualTo("kworker/R-rcu_gp");
        assertThat(functions(rescuer)).containsExactly("rescuer_thread");
        assertThat(e.tasks()).hasSize(8);
    }

    @Test
    void headerlessStateCommTidWchanRowsTakeTheirWchanAsTheWaitFrame() throws Exception {
        // corpus w-017 (lore.kernel.org/r/CALOAHbBtCJqCQq=P4eHA10TxHrnwgbfL1dJN5ZtnL9ow1wXEKw@mail.gmail.com):
        // `ps -eLo state,comm,tid,wchan | grep ^D`, quoted in a reply; the comm is /proc's, with the workqueue
        Evidence e = TraceFixtures.read(
                "> $ ps -eLo state,comm,tid,wchan  | grep ^D",
                "> D java            4177339 xfs_buf_lock",
                "> D kworker/93:3+xf 3025535 xfs_buf_lock",
                "> D kworker/87:0+xf 3426612 xfs_extent_busy_flush",
                "> D kworker/81:1+xf 4005763 xfs_buf_lock");
        assertThat(e.formats()).contains("ps");
        Task java = e.taskOrNull(4177339);
        assertThat(java.comm()).isEqualTo("java");
        assertThat(java.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(functions(java)).containsExactly("xfs_buf_lock");
        assertThat(e.taskOrNull(3025535).comm()).isEqualTo("kworker/93:3");
        assertThat(e.taskOrNull(4005763).comm()).isEqualTo("kworker/81:1");
        assertThat(functions(e.taskOrNull(3426612))).containsExactly("xfs_extent_busy_flush");
    }

    @Test
    void proseThatStartsWithAStateLetterIsNoRow() throws Exception {
        Evidence e = TraceFixtures.read(
                "S o the fix landed in 6.1 and 2 weeks later in stable_queue",
                "D uring the test run 3 times it hung");
        assertThat(e.tasks()).isEmpty();
    }

    @Test
    void aWorkqueueWorkersProcNameIsTheKernelsName() {
        // kernel/workqueue.c wq_worker_comm: "+" and the workqueue it runs, "-" and the last it ran
        assertThat(PsTableBlock.workerName("kworker/81:1+xf")).isEqualTo("kworker/81:1");
        assertThat(PsTableBlock.workerName("kworker/u8:2-events_unbound")).isEqualTo("kworker/u8:2");
        assertThat(PsTableBlock.workerName("kworker/0:1H-kblockd")).isEqualTo("kworker/0:1H");
        assertThat(PsTableBlock.workerName("kworker/R-rcu_gp")).isEqualTo("kworker/R-rcu_gp");
        assertThat(PsTableBlock.workerName("kworker/3:2")).isEqualTo("kworker/3:2");
        assertThat(PsTableBlock.workerName("java")).isEqualTo("java");
    }

    @Test
    void theMainProcessOfAContainerListedByItsParentStateCommandAndWchan() {
        // moby/moby issue 34488: `ps -o ppid,state,cmd,wchan:32 -p $(docker inspect -f "{{.State.Pid}}" ...)`
        Evidence e = parse("  PPID S CMD                         WCHAN\n"
                + " 91484 S [entrypoint.sh]             zap_pid_ns_processes\n", "t");
        List<Task> unnamed = anonymous(e);
        assertThat(unnamed).hasSize(1);
        Task t = unnamed.get(0);
        assertThat(t.comm()).isEqualTo("entrypoint.sh");
        assertThat(t.ppid()).isEqualTo(91484);
        assertThat(t.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(functions(t)).containsExactly("zap_pid_ns_processes");
    }

    @Test
    void rowsOfPsAuxAjxAxlElAndElfWithoutTheirHeaderAreReadInProcpsLayouts() throws Exception {
        Evidence e = parseFixture("ps-headerless-rows-procps4.txt");
        assertThat(e.formats()).contains("ps");
        assertThat(e.tasks()).as("nine kernel threads, and four greps").hasSize(13).allMatch(t -> t.pid() > 0);
        Task rcu = e.taskOrNull(15);
        assertThat(rcu.comm()).isEqualTo("rcu_preempt");
        assertThat(rcu.ppid()).as("from the `ps ajx` rows").isEqualTo(2);
        assertThat(rcu.frames()).as("`ps axl` cut WCHAN to six columns: rcu_gp is no function").isEmpty();
        assertThat(e.taskOrNull(16).comm()).isEqualTo("rcu_exp_par_gp_kthread_worker/0");
        assertThat(e.taskOrNull(4).state()).isEqualTo(TaskState.IDLE);
        Task ajxGrep = e.taskOrNull(11477);
        assertThat(ajxGrep.comm()).isEqualTo("grep");
        assertThat(ajxGrep.ppid()).isEqualTo(11470);
        assertThat(e.taskOrNull(11479).ppid()).as("`ps axl`: F UID PID PPID").isEqualTo(11470);
        assertThat(e.taskOrNull(11475).state()).isEqualTo(TaskState.SLEEPING);
        Task elfGrep = e.taskOrNull(15606);
        assertThat(elfGrep.ppid()).as("`ps -elf`: F S UID PID PPID, the UID a user name").isEqualTo(15601);
        assertThat(elfGrep.comm()).isEqualTo("grep");
        assertThat(elfGrep.frames()).as("WCHAN cut to six columns").isEmpty();
    }

    @Test
    void headerlessRowsInDWithBsdFlagsAndARowCutInItsCommand() {
        // unix.stackexchange.com/questions/16738 (`ps ajx` and `ps aux` rows, spaces collapsed by the page) and
        // nfs-ganesha/nfs-ganesha issue 423 (`ps aux` rows, the paste cut inside the last command)
        Evidence e = parse("1  6187  4313  4313 ?   -1 D<    1030   3:16 /usr/lib/firefox-3.5b4pre/firefox-3.5\n\n"
                + "   7610  7622  7621  7610 pts/3      7621 S+    1030   0:00 grep firefox\n\n"
                + "root 9178 0.0 0.0 0 0 ? D< 13:35 0:00 [lockd]\n\n"
                + "root     21629  0.0  0.0  42336  1784 ?        D    May15   0:00 /sbin/mount.nfs *.*.*.*.*:/"
                + " /var/lib/kubelet/pod", "t");
        Task firefox = e.taskOrNull(6187);
        assertThat(firefox.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(firefox.ppid()).isEqualTo(1);
        assertThat(firefox.comm()).isEqualTo("firefox-3.5");
        assertThat(e.taskOrNull(7622).state()).isEqualTo(TaskState.SLEEPING);
        Task lockd = e.taskOrNull(9178);
        assertThat(lockd.comm()).isEqualTo("lockd");
        assertThat(lockd.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        Task mount = e.taskOrNull(21629);
        assertThat(mount.comm()).isEqualTo("mount.nfs");
        assertThat(mount.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.tasks()).hasSize(4);
    }

    @Test
    void aUserNameCutByProcpsAndAProcessTitleInARowWithoutHeader() {
        // CyberDem0n/bg_mon issue 63: `ps aux` row of a postgres worker in D, its user cut to 8 columns with '+'
        Evidence e = parse("1000710+ 1191929  0.0  0.0 630156 26628 ?        Ds   Jan18   2:05 postgres: our-postgres:"
                + " bg_mon\n", "t");
        Task t = e.taskOrNull(1191929);
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.comm()).isEqualTo("postgres");
    }

    @Test
    void aRowWhoseCommandAMailerWrappedToTheNextLineKeepsItsName() {
        // nfs-ganesha/nfs-ganesha issue 423's rows as a mailer wraps them at 72 columns
        Evidence e = parse("root     21626  0.0  0.0  29232  1232 ?        S    May15   0:00\n"
                + "/bin/mount -t nfs -o\n"
                + "hard,retrans=2,rsize=1048576,timeo=600,vers=4.1,wsize=1048576\n"
                + "root     21629  0.0  0.0  42336  1784 ?        D    May15   0:00\n"
                + "/sbin/mount.nfs *.*.*.*.*:/ /var/lib/kubelet/pod\n", "t");
        assertThat(e.taskOrNull(21626).comm()).isEqualTo("mount");
        Task helper = e.taskOrNull(21629);
        assertThat(helper.comm()).isEqualTo("mount.nfs");
        assertThat(helper.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void aWchanAMailerWrappedToTheNextLineIsStillTheRowsStack() {
        // cloudfoundry/garden-runc-release issue 141 (`ps -eLo pid,tid,ppid,user:11,comm,state,wchan`) wrapped at 72
        Evidence e = parse("    PID     TID    PPID USER        COMMAND         S WCHAN\n"
                + "    141     141       2 root        kswapd0         D\n"
                + "xfs_reclaim_inodes_ag\n"
                + "   8521    8521       2 root        xfsaild/loop0   D io_schedule\n"
                + "3863259 3863276       1 vcap        loggregator-age D\n"
                + "call_rwsem_down_write_failed_killable\n", "t");
        assertThat(functions(e.taskOrNull(141))).containsExactly("xfs_reclaim_inodes_ag");
        assertThat(functions(e.taskOrNull(8521))).containsExactly("io_schedule");
        // `ps -o comm` prints a kernel thread's name as /proc has it, slash and all: no path to take the base of
        assertThat(e.taskOrNull(8521).comm()).isEqualTo("xfsaild/loop0");
        Task t = e.taskOrNull(3863276);
        assertThat(t.tgid()).isEqualTo(3863259);
        assertThat(functions(t)).containsExactly("call_rwsem_down_write_failed_killable");
        assertThat(e.tasks()).hasSize(3);
    }

    @Test
    void aReplyUnderARowCutBeforeItsCommandIsNotTakenForTheName() {
        Evidence e = parse("root 9178 0.0 0.0 0 0 ? D< 13:35 0:00\n"
                + "The same message for all the client machines.\n", "t");
        Task t = e.taskOrNull(9178);
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.comm()).isNull();

        // nor a /proc stack pasted under it (lanconnected/EnhanceIO issue 40's stack)
        Evidence stack = parse("root      2787  0.0  0.0      0     0 ?        D    May11   0:02\n"
                + "[<ffffffff8131fe43>] call_rwsem_down_write_failed+0x13/0x20\n", "t");
        Task clean = stack.taskOrNull(2787);
        assertThat(clean.comm()).isNull();
        assertThat(functions(clean)).as("a stack right under a one-row table is that row's")
                .containsExactly("call_rwsem_down_write_failed");
        assertThat(stack.tasks()).hasSize(1);
    }

    @Test
    void linesShapedLikeNoLayoutMakeNoTask() {
        Evidence e = parse("root cause 12 is unknown\n"
                + "at 5 pm the host stopped\n"
                + "root 9178 0.0 0.0 0 0 ? Q 13:35 0:00 [lockd]\n"
                + "root 9178 0.0 0 0 0 ? D 13:35 0:00 [lockd]\n"
                + "1 6187 4313 4313 ? x D< 1030 3:16 firefox\n"
                + "  PPID S CMD WCHAN\n"
                + "I think it is stuck\n"
                + "S WCHAN\n"
                + "  12 D\n", "t");
        assertThat(e.tasks()).isEmpty();
    }

    @Test
    void aPerfScriptSampleHeaderIsNoPsAuxRow() {
        Evidence e = parse("swapper     0 [001] 24036.215611:     250000 cpu-clock:\n"
                + "\tffffffff8224f0b5 pv_native_safe_halt+0x5 ([kernel.kallsyms])\n\n", "t");
        assertThat(e.formats()).contains("perf script").doesNotContain("ps");
    }

    @Test
    void rowsOfTheShortDashOListsWithoutTheirHeaderAreTasks() {
        // corpus l-013: `ps -eo pid,state,cmd | grep ' D '` (the grep drops the header "    PID S CMD")
        Evidence e = parse("root@aks-h100-40613187-vmss000001:/# ps -eo pid,state,cmd | grep ' D '\n"
                + "  12405 D /opt/microsoft/auoms/bin/auoms\n"
                + " 105408 D [jbd2/dm-8-8]\n"
                + "1233013 D [lvm]\n", "t");
        assertThat(e.taskOrNull(105408).comm()).isEqualTo("jbd2/dm-8-8");
        assertThat(e.taskOrNull(105408).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.taskOrNull(12405).comm()).isEqualTo("auoms");
        assertThat(e.taskOrNull(1233013).comm()).isEqualTo("lvm");
        // `ps -eo pid,stat,wchan,cmd` as procps-ng 4 prints it: WCHAN cut to six columns, "-" for a running task
        Evidence w = parse("    2 S    kthrea [kthreadd]\n    1 S<Ll -      /process_api --firecracker-init\n", "t");
        assertThat(w.taskOrNull(2).comm()).isEqualTo("kthreadd");
        assertThat(w.taskOrNull(1).comm()).isEqualTo("process_api");
    }
    @Test
    void anLstartDateAfterTheWchanTakesItsFiveWordsAndTheThreadIdSitsBetweenPidAndPpid() {
        // corpus zb-007 (cloudfoundry/garden-runc-release issue 121):
        // `ps -eLo pid,tid,ppid,user:11,comm,state,wchan:20,lstart | grep 'D '`
        Evidence e = parse("    PID     TID    PPID USER        COMMAND         S WCHAN                                 STARTED\n"
                + " 823502  823502  823455 2000        runc:[2:INIT]   D flush_old_exec       Wed Feb 13 03:15:50 2019\n"
                + " 823502  823503  823455 4294967294  runc:[2:INIT]   D refrigerator         Wed Feb 13 03:15:50 2019\n"
                + "3843653 3843653 3843606 4294967294  garden-init     D refrigerator         Wed Feb 13 01:04:36 2019\n"
                + "3844369 3844369 3844353 4294967294  sh              D refrigerator         Wed Feb 13 01:04:43 2019\n"
                + "3844388 3844388 3844369", "t");
        assertThat(e.formats()).contains("ps");
        assertThat(e.tasks()).as("four rows; the last was cut after its PPID").hasSize(4)
                .allMatch(t -> t.state() == TaskState.UNINTERRUPTIBLE);
        Task exec = e.taskOrNull(823502);
        assertThat(exec.comm()).isEqualTo("runc:[2:INIT]");
        assertThat(exec.ppid()).isEqualTo(823455);
        assertThat(functions(exec)).as("wchan:20, the date right-justified in lstart's 24 columns after it")
                .containsExactly("flush_old_exec");
        Task frozen = e.taskOrNull(823503);
        assertThat(frozen.tgid()).isEqualTo(823502);
        assertThat(functions(frozen)).containsExactly("refrigerator");
        assertThat(e.taskOrNull(3844369).comm()).isEqualTo("sh");
        // corpus zb-008 (garden-runc-release issue 131): ctime's day padded with a space, "Mar  6"
        Evidence padded = parse("    PID     TID    PPID USER        COMMAND         S WCHAN                                 STARTED\n"
                + "  51574   51574   50927 4294967294  garden-init     D refrigerator         Wed Mar  6 03:51:50 2019\n", "t");
        assertThat(functions(padded.taskOrNull(51574))).containsExactly("refrigerator");
    }

    @Test
    void anLstartDateBetweenColumnsTakesItsFiveWordsFromEitherSide() {
        // openSUSE/supportutils pull request 262: `ps -eo user,pid,ppid,lstart,etime,cmd`
        String header = "USER         PID    PPID                  STARTED     ELAPSED CMD";
        String row = "root           3       2 Mon Jun 16 14:23:09 2025 15-20:03:03 [rcu_gp]";
        String[] cut = row.trim().split(" +");
        int[] starts = new int[cut.length];
        int[] ends = new int[cut.length];
        for (int k = 0, from = 0; k < cut.length; k++) {
            starts[k] = row.indexOf(cut[k], from);
            ends[k] = starts[k] + cut[k].length();
            from = ends[k];
        }
        assertThat(header).contains("STARTED");
        assertThat(PsColumnValues.wordsFrom("STARTED", row, starts, ends, 3, cut.length)).isEqualTo(5);
        assertThat(PsColumnValues.wordsBefore("STARTED", row, starts, ends, 8, 3)).isEqualTo(5);
        assertThat(PsColumnValues.wordsBefore("STARTED", row, starts, ends, 8, 4))
                .as("the columns before it keep their words").isEqualTo(1);
        assertThat(PsColumnValues.wordsFrom("ELAPSED", row, starts, ends, 8, cut.length)).isEqualTo(1);
        assertThat(PsColumnValues.wordsFrom("PPID", row, starts, ends, 2, cut.length)).isEqualTo(1);
        assertThat(PsColumnValues.fits("STARTED", "Mon Jun 16 14:23:09 2025")).isTrue();
        assertThat(PsColumnValues.fits("STARTED", "12:08:45")).as("`start` within a day").isTrue();
        assertThat(PsColumnValues.fits("STARTED", "Mon Jun 16")).isFalse();
    }

    @Test
    void anElapsedColumnFirstAndTwoCommandColumnsReadTheArgsAsTheCommand() {
        // centreon/centreon-plugins issue 1438: `ps -o etime,pid,ppid,state,comm,args`
        Evidence e = parse("  ELAPSED    PID   PPID S COMMAND         COMMAND\n"
                + "51-21:05:51      1      0 S systemd         /usr/lib/systemd/systemd --switched-root --system"
                + " --deserialize 22\n"
                + "51-21:05:51      2      0 S kthreadd        [kthreadd]\n"
                + "51-21:05:51      5      2 S kworker/0:0H    [kworker/0:0H]\n"
                + "51-21:05:51      9      2 R rcu_sched       [rcu_sched]\n", "t");
        assertThat(e.tasks()).hasSize(4);
        assertThat(e.taskOrNull(1).comm()).isEqualTo("systemd");
        assertThat(e.taskOrNull(5).comm()).isEqualTo("kworker/0:0H");
        assertThat(e.taskOrNull(5).ppid()).isEqualTo(2);
        assertThat(e.taskOrNull(9).state()).isEqualTo(TaskState.RUNNING);
    }
    @Test
    void aHeaderAndRowsWrappedBeforeTheirLstartAreStillRead() {
        // corpus zb-007's rows as a console cuts them at 80 columns (the date split inside "Feb") and as a mailer
        // wraps them at 72 (the date on a line of its own); the header's STARTED goes to the next line alike
        Evidence cut = parse("    PID     TID    PPID USER        COMMAND         S WCHAN                     \n"
                + "            STARTED\n"
                + " 823502  823502  823455 2000        runc:[2:INIT]   D flush_old_exec       Wed Fe\n"
                + "b 13 03:15:50 2019\n"
                + " 823502  823503  823455 4294967294  runc:[2:INIT]   D refrigerator         Wed Fe\n"
                + "b 13 03:15:50 2019\n", "t");
        assertThat(cut.tasks()).hasSize(2);
        assertThat(functions(cut.taskOrNull(823502))).containsExactly("flush_old_exec");
        assertThat(functions(cut.taskOrNull(823503))).containsExactly("refrigerator");
        Evidence wrapped = parse("    PID     TID    PPID USER        COMMAND         S WCHAN\n"
                + "          STARTED\n"
                + " 823502  823502  823455 2000        runc:[2:INIT]   D flush_old_exec\n"
                + "  Wed Feb 13 03:15:50 2019\n"
                + "3843653 3843653 3843606 4294967294  garden-init     D refrigerator\n"
                + "  Wed Feb 13 01:04:36 2019\n"
                + "[<0>] __refrigerator+0x4e/0x130\n", "t");
        assertThat(wrapped.taskOrNull(3843653).comm()).isEqualTo("garden-init");
        assertThat(wrapped.tasks()).as("the two rows, and the stack after them is no row's rest").hasSize(3)
                .anyMatch(t -> functions(t).contains("__refrigerator"));
        assertThat(functions(wrapped.taskOrNull(823502))).containsExactly("flush_old_exec");
    }

    @Test
    void aLineOfNamesAfterAHeaderIsItsRestOnlyWhenNoneIsAColumnReadHere() {
        // a header's next line naming a state or a task id is no wrapped rest of it: the table reads no such line
        Evidence e = parse("    PID     TID    PPID USER        COMMAND         S WCHAN\n"
                + "PID S\n"
                + " 823502  823502  823455 2000        runc:[2:INIT]   D flush_old_exec\n", "t");
        assertThat(e.taskOrNull(823502)).as("the header's table ended at the line that is no row").isNull();
    }
}
