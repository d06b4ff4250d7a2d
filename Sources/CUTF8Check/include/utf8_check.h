// Checking UTF-8 thirty-two bytes at a time (AVX2), for HTMLSanitizing's UTF8Check.
#ifndef TIDINGS_UTF8_CHECK_H
#define TIDINGS_UTF8_CHECK_H

#include <stddef.h>

/// 1 when the `count` bytes at `bytes` are well-formed UTF-8 (Unicode's table 3-7:
/// no overlong forms, surrogates, scalars past U+10FFFF, stray or missing
/// continuation bytes), 0 when they are not, -1 when this processor lacks AVX2 (or is not x86-64) and
/// the caller must check them itself. When 1, `*ascii` says whether every byte is
/// below 0x80.
int tidings_utf8_check(const unsigned char *bytes, size_t count, int *ascii);

#endif
