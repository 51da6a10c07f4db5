/*
 * holdlock FILE SECONDS — hold FILE's lock the way apt and dpkg take theirs (an fcntl
 * write lock over the whole file: flock(2), which flock(1) uses, does not conflict with
 * it on Linux), print "held" once it is ours, then keep it for SECONDS (0: until killed)
 * and exit.  tests/deps/run.sh runs it against a scratch apt root, never a real lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: holdlock FILE SECONDS\n");
		return 2;
	}
	int fd = open(argv[1], O_RDWR | O_CREAT | O_NOFOLLOW, 0640);
	if (fd < 0) {
		fprintf(stderr, "holdlock: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		fprintf(stderr, "holdlock: %s is locked already: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	int s = atoi(argv[2]);
	if (s <= 0)
		pause();
	else
		sleep((unsigned)s);
	return 0;
}
