/*
 * A minimal FUSE daemon for live hang tests, speaking the protocol directly on /dev/fuse.
 *
 * usage: fusefs MODE MOUNTPOINT [serial] [keeper]
 *   hung       answer INIT, then read every request and answer none (a wedged daemon)
 *   noread     answer INIT, then never read /dev/fuse again (requests stay pending)
 *   noflush    serve one file "f" (LOOKUP, GETATTR, OPEN, READ, RELEASE, STATFS) but never
 *              answer FLUSH; INTERRUPT gets -ENOSYS (the seed 003 daemon)
 *   healthy    like noflush, and FLUSH is answered too
 *
 * FUSE_PARALLEL_DIROPS is granted when the kernel offers it, so lookups of different names in one
 * directory wait side by side; "serial" withholds it, and they queue on the directory in fuse_lock_inode.
 *
 * "keeper" makes the /dev/fuse file outlive this daemon without any process holding it: once mounted, the
 * descriptor is sent (SCM_RIGHTS) into a socket whose other end a forked keeper holds and never reads, and the
 * keeper pauses. Killed, the daemon closes its descriptor, but the one in flight keeps the file open, so the
 * kernel does not abort the connection (it does on the last close): its callers wait for a daemon that is gone.
 *
 * stdout, line-buffered: "keeper PID" (with keeper), "ready" once mounted and INIT is answered, then
 * "req OPCODE UNIQUE NODEID" for every request read. Exits when the connection goes away (abort, unmount).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_INO 2
static const char CONTENT[] = "hangdoctor live test file\n";

enum mode { HUNG, NOREAD, NOFLUSH, HEALTHY };

static int dev_fd;
static int serial_dirops;

static void reply(uint64_t unique, int error, const void *body, size_t len)
{
	char buf[sizeof(struct fuse_out_header) + 4096];
	struct fuse_out_header *out = (struct fuse_out_header *)buf;
	if (len > sizeof(buf) - sizeof(*out))
		len = sizeof(buf) - sizeof(*out);
	out->len = sizeof(*out) + len;
	out->error = error;
	out->unique = unique;
	if (len)
		memcpy(buf + sizeof(*out), body, len);
	if (write(dev_fd, buf, out->len) < 0 && errno != ENOENT)
		fprintf(stderr, "fusefs: reply to %llu: %s\n", (unsigned long long)unique, strerror(errno));
}

static void fill_attr(struct fuse_attr *a, uint64_t ino)
{
	memset(a, 0, sizeof(*a));
	a->ino = ino;
	if (ino == FUSE_ROOT_ID) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0644;
		a->nlink = 1;
		a->size = sizeof(CONTENT) - 1;
		a->blocks = 1;
	}
	a->blksize = 4096;
}

static void do_init(struct fuse_in_header *in, void *arg)
{
	struct fuse_init_in *ii = arg;
	struct fuse_init_out io;
	memset(&io, 0, sizeof(io));
	io.major = FUSE_KERNEL_VERSION;
	io.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ? ii->minor : FUSE_KERNEL_MINOR_VERSION;
	io.max_readahead = ii->max_readahead;
	io.max_write = 65536;
	io.max_background = 16;
	io.congestion_threshold = 12;
	if (!serial_dirops)
		io.flags = ii->flags & FUSE_PARALLEL_DIROPS;
	reply(in->unique, 0, &io, sizeof(io));
}

static void serve(enum mode mode, struct fuse_in_header *in, void *arg)
{
	switch (in->opcode) {
	case FUSE_LOOKUP: {
		if (in->nodeid != FUSE_ROOT_ID || strcmp((char *)arg, "f") != 0) {
			reply(in->unique, -ENOENT, NULL, 0);
			return;
		}
		struct fuse_entry_out e;
		memset(&e, 0, sizeof(e));
		e.nodeid = FILE_INO;
		e.generation = 1;
		e.entry_valid = 3600;
		e.attr_valid = 3600;
		fill_attr(&e.attr, FILE_INO);
		reply(in->unique, 0, &e, sizeof(e));
		return;
	}
	case FUSE_GETATTR: {
		struct fuse_attr_out a;
		memset(&a, 0, sizeof(a));
		a.attr_valid = 3600;
		fill_attr(&a.attr, in->nodeid);
		reply(in->unique, 0, &a, sizeof(a));
		return;
	}
	case FUSE_OPEN: {
		struct fuse_open_out o;
		memset(&o, 0, sizeof(o));
		o.fh = 1;
		reply(in->unique, 0, &o, sizeof(o));
		return;
	}
	case FUSE_READ: {
		struct fuse_read_in *r = arg;
		size_t total = sizeof(CONTENT) - 1;
		size_t off = r->offset < total ? r->offset : total;
		size_t n = total - off < r->size ? total - off : r->size;
		reply(in->unique, 0, CONTENT + off, n);
		return;
	}
	case FUSE_STATFS: {
		struct fuse_statfs_out s;
		memset(&s, 0, sizeof(s));
		s.st.bsize = 4096;
		s.st.frsize = 4096;
		s.st.namelen = 255;
		reply(in->unique, 0, &s, sizeof(s));
		return;
	}
	case FUSE_FLUSH:
		if (mode == HEALTHY)
			reply(in->unique, 0, NULL, 0);
		return; /* noflush: never answered, the caller waits in fuse_flush */
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR:
		reply(in->unique, 0, NULL, 0);
		return;
	case FUSE_INTERRUPT:
		/* the interrupt's own unique carries FUSE_INT_REQ_BIT; -ENOSYS sets fc->no_interrupt */
		reply(in->unique, -ENOSYS, NULL, 0);
		return;
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
		return; /* no reply expected */
	default:
		reply(in->unique, -ENOSYS, NULL, 0);
	}
}

/* Forks a keeper holding one end of a socket pair and puts the /dev/fuse descriptor in flight to it. */
static int start_keeper(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("fusefs: socketpair");
		return -1;
	}
	pid_t keeper = fork();
	if (keeper < 0) {
		perror("fusefs: fork");
		return -1;
	}
	if (keeper == 0) {
		close(dev_fd);
		close(sv[0]);
		for (;;)
			pause();
	}
	close(sv[1]);
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &dev_fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) < 0) {
		perror("fusefs: sendmsg");
		return -1;
	}
	close(sv[0]);
	printf("keeper %d\n", keeper);
	return 0;
}

int main(int argc, char **argv)
{
	int keeper = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "serial"))
			serial_dirops = 1;
		else if (!strcmp(argv[i], "keeper"))
			keeper = 1;
		else
			argc = 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: fusefs hung|noread|noflush|healthy MOUNTPOINT [serial] [keeper]\n");
		return 2;
	}
	enum mode mode;
	if (!strcmp(argv[1], "hung"))
		mode = HUNG;
	else if (!strcmp(argv[1], "noread"))
		mode = NOREAD;
	else if (!strcmp(argv[1], "noflush"))
		mode = NOFLUSH;
	else if (!strcmp(argv[1], "healthy"))
		mode = HEALTHY;
	else {
		fprintf(stderr, "fusefs: unknown mode %s\n", argv[1]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	dev_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev_fd < 0) {
		perror("fusefs: open /dev/fuse");
		return 1;
	}
	char opts[128];
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", dev_fd);
	/* the subtype makes our mounts recognisable in mountinfo ("fuse.hangdoctor-live") */
	if (mount("hangdoctor-live", argv[2], "fuse.hangdoctor-live", MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("fusefs: mount");
		return 1;
	}
	if (keeper && start_keeper() < 0)
		return 1;

	size_t bufsize = 1 << 20;
	char *buf = malloc(bufsize);
	int initialised = 0;
	for (;;) {
		ssize_t n = read(dev_fd, buf, bufsize);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENODEV) /* aborted or unmounted */
				return 0;
			perror("fusefs: read");
			return 1;
		}
		if ((size_t)n < sizeof(struct fuse_in_header))
			continue;
		struct fuse_in_header *in = (struct fuse_in_header *)buf;
		void *arg = buf + sizeof(*in);
		if (in->opcode == FUSE_INIT) {
			do_init(in, arg);
			if (!initialised)
				printf("ready\n");
			initialised = 1;
			if (mode == NOREAD)
				for (;;)
					pause();
			continue;
		}
		printf("req %u %llu %llu\n", in->opcode, (unsigned long long)in->unique,
		       (unsigned long long)in->nodeid);
		if (mode != HUNG)
			serve(mode, in, arg);
	}
}
