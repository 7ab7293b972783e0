/*
 * A memory cgroup member for live hang tests.
 *
 * usage: memhog CGROUP_DIR MIB
 *   joins CGROUP_DIR (writes its own pid to cgroup.procs, so nothing it allocates before is
 *   charged there), touches MIB MiB of anonymous memory page by page, then sleeps in pause().
 *   Over a limit with oom_kill_disable=1 the touching stalls in the kernel; MIB 0 is a quiet
 *   sleeper.
 *
 * stdout: "joined PID", then "touched MIB" once all pages are resident.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: memhog CGROUP_DIR MIB\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char path[4096], pid[32];
	snprintf(path, sizeof(path), "%s/cgroup.procs", argv[1]);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int len = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (fd < 0 || write(fd, pid, len) != len) {
		fprintf(stderr, "memhog: join %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	printf("joined %d\n", getpid());

	long mib = atol(argv[2]);
	size_t size = (size_t)mib << 20;
	if (size) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("memhog: mmap");
			return 1;
		}
		long page = sysconf(_SC_PAGESIZE);
		for (size_t off = 0; off < size; off += page)
			p[off] = 1;
	}
	printf("touched %ld\n", mib);
	for (;;)
		pause();
}
