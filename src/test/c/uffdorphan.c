/*
 * A process whose userfaultfd lost its handler, for live hang tests (the shape of seed 002).
 *
 * usage: uffdorphan touch|gup [NAME_HEX]
 *   Creates a userfaultfd, registers one anonymous page for MISSING faults, forks a "handler"
 *   child that inherits the fd and exits without serving anything (the orchestrator that died),
 *   then starts a thread that faults on the page:
 *     touch  the thread writes the page from user mode (sleeps interruptibly, state S)
 *     gup    the thread reads the page with process_vm_readv on its own pid, so the fault comes
 *            from get_user_pages in the kernel (killable sleep, state D, like the seed's kworkers)
 *   NAME_HEX, when given, is the process name as hex bytes (procname.h).
 *
 * stdout: "uffd FD", "handler PID exited", "faulter TID"; then the main thread sleeps in pause().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procname.h"

static char *region;
static long page;
static int use_gup;

static void *faulter(void *unused)
{
	(void)unused;
	printf("faulter %ld\n", (long)syscall(SYS_gettid));
	if (use_gup) {
		char dst[64];
		struct iovec local = { dst, sizeof(dst) }, remote = { region, sizeof(dst) };
		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) < 0)
			printf("faulter-err %d\n", errno);
	} else {
		region[0] = 1;
	}
	printf("faulter-returned\n");
	return NULL;
}

int main(int argc, char **argv)
{
	if ((argc != 2 && argc != 3) || (strcmp(argv[1], "touch") && strcmp(argv[1], "gup"))) {
		fprintf(stderr, "usage: uffdorphan touch|gup [NAME_HEX]\n");
		return 2;
	}
	/* before any thread starts, so the faulter carries the name too */
	if (argc == 3 && set_name_hex(argv[2]) != 0)
		return 2;
	use_gup = !strcmp(argv[1], "gup");
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);

	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		perror("uffdorphan: userfaultfd");
		return 1;
	}
	struct uffdio_api api = { .api = UFFD_API };
	if (ioctl(uffd, UFFDIO_API, &api) < 0) {
		perror("uffdorphan: UFFDIO_API");
		return 1;
	}
	region = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		perror("uffdorphan: mmap");
		return 1;
	}
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)region, .len = page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		perror("uffdorphan: UFFDIO_REGISTER");
		return 1;
	}
	printf("uffd %d\n", uffd);

	pid_t handler = fork();
	if (handler == 0)
		_exit(0); /* inherited the uffd, served nothing, gone */
	waitpid(handler, NULL, 0);
	printf("handler %d exited\n", handler);

	pthread_t t;
	if (pthread_create(&t, NULL, faulter, NULL)) {
		perror("uffdorphan: pthread_create");
		return 1;
	}
	for (;;)
		pause();
}
