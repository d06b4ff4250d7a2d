// jemalloc (Debian's libjemalloc-dev), linked into the tidings command in place of
// glibc's allocator. Linking is all it takes: its malloc and free replace glibc's for
// every library of the process. Only its control interface is declared here; the
// full header would declare malloc a second time beside Glibc's.
#include <stddef.h>

int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
