/*
 * A file-system client for live hang tests: one call on a path, result on stdout.
 *
 * usage: fsop stat|cat|loop PATH [NUDGE_MS]
 *   loop reads PATH whole again and again (open, read, close, then 20 ms of sleep) until a read fails:
 *   an active reader of a healthy mount, printing "n COUNT" after every tenth pass, "err ERRNO" when one fails.
 *   NUDGE_MS > 0 arms a SIGALRM with a no-op handler (no SA_RESTART) that fires while the call
 *   waits: a FUSE request interrupted that way moves from the interruptible to the killable wait
 *   in request_wait_answer, so the waiter shows state D like a real wedged client.
 *
 * stdout: "start PID" before the call, then "ok ..." or "err ERRNO" when it returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fsop stat|cat|loop PATH [NUDGE_MS]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	long nudge_ms = argc > 3 ? atol(argv[3]) : 0;
	if (nudge_ms > 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = { .it_value = { nudge_ms / 1000, (nudge_ms % 1000) * 1000 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
	printf("start %d\n", getpid());
	if (!strcmp(argv[1], "stat")) {
		struct stat st;
		if (stat(argv[2], &st) < 0) {
			printf("err %d\n", errno);
			return 1;
		}
		printf("ok mode=%o size=%lld\n", st.st_mode, (long long)st.st_size);
		return 0;
	}
	if (!strcmp(argv[1], "cat")) {
		int fd = open(argv[2], O_RDONLY);
		if (fd < 0) {
			printf("err %d\n", errno);
			return 1;
		}
		char buf[4096];
		ssize_t n, total = 0;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			fwrite(buf, 1, n, stdout);
			total += n;
		}
		if (n < 0 || close(fd) < 0) {
			printf("err %d\n", errno);
			return 1;
		}
		printf("ok bytes=%zd\n", total);
		return 0;
	}
	if (!strcmp(argv[1], "loop")) {
		struct timespec pause_ms = { 0, 20 * 1000 * 1000 };
		for (long passes = 1;; passes++) {
			int fd = open(argv[2], O_RDONLY);
			char buf[4096];
			ssize_t n = 0;
			while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
				;
			if (fd < 0 || n < 0 || close(fd) < 0) {
				printf("err %d\n", errno);
				return 1;
			}
			if (passes % 10 == 0)
				printf("n %ld\n", passes);
			nanosleep(&pause_ms, NULL);
		}
	}
	fprintf(stderr, "fsop: unknown op %s\n", argv[1]);
	return 2;
}
