// syncfs(2): flush one file system. glibc declares it only under _GNU_SOURCE,
// which the Glibc module is not built with.
#ifdef __linux__
int syncfs(int fd);
#endif
