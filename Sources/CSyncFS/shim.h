// syncfs(2): flush one file system. glibc declares it only under _GNU_SOURCE,
// which the Glibc module is not built with.
#ifdef __linux__
int syncfs(int fd);
#endif

// renameat2(2) with RENAME_NOREPLACE: a rename that fails with EEXIST instead of
// replacing an existing file. Also _GNU_SOURCE-only in glibc.
#ifdef __linux__
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
#define TIDINGS_RENAME_NOREPLACE 1u
#endif

// open(2)'s O_TMPFILE (an unnamed file in a folder, linked in later with linkat(2))
// and linkat's AT_EMPTY_PATH: glibc defines both only under _GNU_SOURCE.
#ifdef __linux__
#define TIDINGS_O_TMPFILE (020000000 | 0200000)
#define TIDINGS_AT_EMPTY_PATH 0x1000
#endif
