/*
 * A quiet pid namespace: a bystander that lives in another pid namespace than the test and than any hang.
 *
 * usage: pidnsidle
 *   unshare(CLONE_NEWPID) and fork: the child is the namespace's init (pid 1 inside). It forks one member
 *   that sleeps in pause(), then reaps children until it is killed. We wait for the init and exit with it.
 *
 * stdout: "init PID" (the init's pid outside the namespace), "init-exited STATUS" once it is over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWPID) < 0) {
		perror("pidnsidle: unshare");
		return 1;
	}
	pid_t init = fork();
	if (init < 0) {
		perror("pidnsidle: fork");
		return 1;
	}
	if (init == 0) {
		if (fork() == 0) {
			for (;;)
				pause();
		}
		for (;;) {
			if (wait(NULL) < 0 && errno == ECHILD)
				pause();
		}
	}
	printf("init %d\n", init);
	int status;
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	printf("init-exited %d\n", status);
	return 0;
}
