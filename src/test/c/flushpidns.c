/*
 * A pid namespace whose init exits while a member waits in a FUSE flush (the shape of seed 003).
 *
 * usage: flushpidns FILE
 *   unshare(CLONE_NEWPID) and fork: the child is the namespace's init. It forks a reader that
 *   opens FILE, reads it to the end and closes it; against a daemon that never answers FLUSH the
 *   close waits in fuse_flush. The init waits for a line on our stdin ("go"), then exits:
 *   the kernel's zap_pid_ns_processes sends SIGKILL to the reader, which cannot act on it, and
 *   the init waits for it forever.
 *
 * stdout: "init PID" (pid outside the namespace), "reader-read BYTES" from the reader before it
 * closes, and "init-exited STATUS" once everything is over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: flushpidns FILE\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int go[2];
	if (pipe(go) < 0 || unshare(CLONE_NEWPID) < 0) {
		perror("flushpidns: unshare");
		return 1;
	}
	pid_t init = fork();
	if (init < 0) {
		perror("flushpidns: fork");
		return 1;
	}
	if (init == 0) {
		close(go[1]);
		pid_t reader = fork();
		if (reader == 0) {
			int fd = open(argv[1], O_RDONLY);
			if (fd < 0) {
				printf("reader-err %d\n", errno);
				_exit(1);
			}
			char buf[4096];
			ssize_t n, total = 0;
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				total += n;
			printf("reader-read %zd\n", total);
			close(fd);
			printf("reader-closed\n");
			_exit(0);
		}
		char c;
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(go[0]);
	printf("init %d\n", init);
	char line[64];
	if (fgets(line, sizeof(line), stdin) == NULL) {
		/* our driver went away: end the namespace anyway so nothing waits on us */
	}
	if (write(go[1], "g", 1) < 0)
		perror("flushpidns: go");
	int status;
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	printf("init-exited %d\n", status);
	return 0;
}
