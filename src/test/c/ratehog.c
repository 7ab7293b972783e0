/*
 * A memory cgroup member that fills memory at a set rate, for the OOM guard's live tests and benchmark.
 *
 * usage: ratehog CGROUP_DIR MIB MIB_PER_S [NAME_HEX]
 *   joins CGROUP_DIR (writes its own pid to cgroup.procs), waits for a line on stdin (so the caller can start
 *   watching first), then touches MIB MiB of anonymous memory page by page, pacing itself after every 256 KiB so
 *   that the total follows MIB_PER_S (0: as fast as it can, like memhog), and sleeps in pause().
 *
 *   NAME_HEX, when given, is the process name as hex bytes (procname.h).
 *
 * stdout: "joined PID", then "started", then "touched MIB ELAPSED_NS" once all pages are resident.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "procname.h"

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: ratehog CGROUP_DIR MIB MIB_PER_S [NAME_HEX]\n");
		return 2;
	}
	if (argc == 5 && set_name_hex(argv[4]) != 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	char path[4096], pid[32];
	snprintf(path, sizeof(path), "%s/cgroup.procs", argv[1]);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int len = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (fd < 0 || write(fd, pid, len) != len) {
		fprintf(stderr, "ratehog: join %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	printf("joined %d\n", getpid());

	size_t size = (size_t)atol(argv[2]) << 20;
	double rate = atof(argv[3]) * 1048576.0; /* bytes per second; 0 is unpaced */
	char *p = NULL;
	if (size) {
		/* mapped before the go signal, so only the touching itself is timed */
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("ratehog: mmap");
			return 1;
		}
	}
	char line[64];
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	printf("started\n");
	long page = sysconf(_SC_PAGESIZE);
	const size_t step = 256 << 10;
	long long t0 = now_ns();
	for (size_t off = 0; off < size; off += step) {
		size_t end = off + step < size ? off + step : size;
		for (size_t q = off; q < end; q += page)
			p[q] = 1;
		if (rate > 0) {
			long long due = t0 + (long long)((double)end / rate * 1e9);
			long long wait = due - now_ns();
			if (wait > 0) {
				struct timespec ts = { wait / 1000000000LL, wait % 1000000000LL };
				nanosleep(&ts, NULL);
			}
		}
	}
	printf("touched %ld %lld\n", atol(argv[2]), now_ns() - t0);
	for (;;)
		pause();
}
