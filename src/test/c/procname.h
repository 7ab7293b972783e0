/*
 * Sets the calling thread's name (what /proc/PID/stat and comm show) from hex bytes, with prctl(PR_SET_NAME):
 * a name need not be UTF-8 ("686f67ff" is "hog" and a 0xff byte), and whoever reads it must cope.
 * Returns 0, or -1 after printing why to stderr.
 */
#ifndef PROCNAME_H
#define PROCNAME_H

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

static int set_name_hex(const char *hex)
{
	char name[16] = { 0 };
	size_t n = strlen(hex) / 2;
	if (n == 0 || n > 15 || strlen(hex) % 2) {
		fprintf(stderr, "NAME_HEX must be 1 to 15 bytes in hex: %s\n", hex);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned int b;
		if (sscanf(hex + 2 * i, "%2x", &b) != 1 || b == 0) {
			fprintf(stderr, "bad NAME_HEX %s\n", hex);
			return -1;
		}
		name[i] = (char)b;
	}
	if (prctl(PR_SET_NAME, name, 0, 0, 0) != 0) {
		perror("prctl(PR_SET_NAME)");
		return -1;
	}
	return 0;
}

#endif
