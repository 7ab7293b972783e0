/*
 * Small privileged actions for the live test library that the JVM cannot do itself.
 *
 * usage:
 *   livectl signal PID STARTTIME SIGNO   signal PID only if it still is the process that started
 *                                        at STARTTIME (field 22 of /proc/PID/stat): the pid is
 *                                        pinned with pidfd_open first, so reuse cannot race us.
 *                                        exit 0 sent, 3 gone or a different process now
 *   livectl umount PATH                  umount2(PATH, MNT_DETACH); exit 3 when nothing is mounted
 *   livectl fusectl PATH                 mount the FUSE control file system at PATH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static int start_time_of(long pid, unsigned long long *out)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may contain ')' */
	if (!p)
		return -1;
	p += 2; /* now at field 3, state */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	*out = strtoull(p, NULL, 10);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "signal")) {
		long pid = atol(argv[2]);
		unsigned long long want = strtoull(argv[3], NULL, 10), have;
		int sig = atoi(argv[4]);
		int pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			return errno == ESRCH ? 3 : 1;
		if (start_time_of(pid, &have) < 0 || have != want)
			return 3;
		if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
			return errno == ESRCH ? 3 : 1;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "umount")) {
		if (umount2(argv[2], MNT_DETACH) < 0) {
			fprintf(stderr, "livectl: umount %s: %s\n", argv[2], strerror(errno));
			return errno == EINVAL || errno == ENOENT ? 3 : 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fusectl")) {
		if (mount("fusectl", argv[2], "fusectl", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			fprintf(stderr, "livectl: mount fusectl %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: livectl signal PID STARTTIME SIGNO | umount PATH | fusectl PATH\n");
	return 2;
}
