// A block-at-a-time UTF-8 check after Keiser and Lemire, "Validating UTF-8 in less
// than one instruction per byte" (2021), 32 bytes at a time with AVX2. Each byte is
// classified together with the byte before it through three 16-entry tables, looked
// up by nibble: the pair is wrong when the three entries share a bit. Sequences of
// three and four bytes are then checked for their later continuation bytes from the
// bytes two and three back.
#include "utf8_check.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

// What a pair (previous byte, this byte) can be wrong for. Each table sets the bits
// that its nibble allows; a bit set in all three is an error.
enum {
    TOO_SHORT = 1 << 0,       // a lead, then no continuation
    TOO_LONG = 1 << 1,        // ASCII, then a continuation
    OVERLONG_3 = 1 << 2,      // E0, then 80–9F
    TOO_LARGE = 1 << 3,       // F4, then 90–BF; F5–FF
    SURROGATE = 1 << 4,       // ED, then A0–BF
    OVERLONG_2 = 1 << 5,      // C0 or C1
    TOO_LARGE_1000 = 1 << 6,  // F5–FF, then 80–8F
    OVERLONG_4 = 1 << 6,      // F0, then 80–8F
    TWO_CONTS = 1 << 7,       // a continuation after a continuation (see below)
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
    LARGE = CARRY | TOO_LARGE | TOO_LARGE_1000,
    CONTINUATION = TOO_LONG | OVERLONG_2 | TWO_CONTS,
};

#define AVX2 __attribute__((target("avx2")))

// Looked up by the high nibble of the previous byte.
static const unsigned char byte1_high[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,  // 0___
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,                                      // 10__
    TOO_SHORT | OVERLONG_2,                                                          // 1100
    TOO_SHORT,                                                                       // 1101
    TOO_SHORT | OVERLONG_3 | SURROGATE,                                              // 1110
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,                             // 1111
};

// Looked up by the low nibble of the previous byte.
static const unsigned char byte1_low[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,  // ____0000
    CARRY | OVERLONG_2,                            // ____0001
    CARRY, CARRY,                                  // ____001_
    CARRY | TOO_LARGE,                             // ____0100
    LARGE, LARGE, LARGE,                           // ____0101 – ____0111
    LARGE, LARGE, LARGE, LARGE, LARGE,             // ____1000 – ____1100
    LARGE | SURROGATE,                             // ____1101
    LARGE, LARGE,                                  // ____1110 – ____1111
};

// Looked up by the high nibble of the byte itself.
static const unsigned char byte2_high[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,  // 0___
    CONTINUATION | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,                                 // 1000
    CONTINUATION | OVERLONG_3 | TOO_LARGE,                                                   // 1001
    CONTINUATION | SURROGATE | TOO_LARGE,                                                    // 1010
    CONTINUATION | SURROGATE | TOO_LARGE,                                                    // 1011
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,                                              // 11__
};

// The last three bytes of a block that would leave a sequence unfinished: above
// these limits (saturating subtraction leaves something).
static const unsigned char end_limits[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1,
};

// A 16-entry table in both 128-bit lanes (a shuffle looks up within each lane).
AVX2 static inline __m256i table(const unsigned char entries[16]) {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)entries));
}

AVX2 static inline __m256i high_nibbles(__m256i v) {
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

// The block's bytes moved `n` places later, the previous block's last `n` in front.
#define EARLIER(input, previous, n) \
    _mm256_alignr_epi8(input, _mm256_permute2x128_si256(previous, input, 0x21), 16 - (n))

// Nonzero where a byte of `input`, given the block before it, is in error.
AVX2 static inline __m256i block_errors(__m256i input, __m256i previous) {
    __m256i previous1 = EARLIER(input, previous, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(table(byte1_high), high_nibbles(previous1)),
            _mm256_shuffle_epi8(table(byte1_low), _mm256_and_si256(previous1, _mm256_set1_epi8(0x0F)))),
        _mm256_shuffle_epi8(table(byte2_high), high_nibbles(input)));
    // Two back a lead of three or four bytes, or three back one of four: this byte
    // must be a continuation after a continuation (TWO_CONTS), and only then may
    // such a pair occur.
    __m256i third = _mm256_subs_epu8(EARLIER(input, previous, 2), _mm256_set1_epi8(0xE0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(EARLIER(input, previous, 3), _mm256_set1_epi8(0xF0 - 0x80));
    __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must, special);
}

// Nonzero when the block ends inside a sequence: a lead in its last three bytes that
// the block does not complete.
AVX2 static inline __m256i unfinished_end(__m256i input) {
    return _mm256_subs_epu8(input, _mm256_loadu_si256((const __m256i *)end_limits));
}

AVX2 static int check_avx2(const unsigned char *bytes, size_t count, int *ascii) {
    __m256i error = _mm256_setzero_si256();
    __m256i previous = _mm256_setzero_si256();
    __m256i unfinished = _mm256_setzero_si256();  // the previous block's last sequence
    __m256i high = _mm256_setzero_si256();
    unsigned char tail[32];
    size_t index = 0;
    while (index < count) {
        __m256i input;
        if (count - index >= 32) {
            input = _mm256_loadu_si256((const __m256i *)(bytes + index));
        } else {
            // The last bytes, then zeros: a sequence they leave unfinished meets an
            // ASCII byte, an error like any other.
            memset(tail, 0, sizeof tail);
            memcpy(tail, bytes + index, count - index);
            input = _mm256_loadu_si256((const __m256i *)tail);
        }
        index += 32;
        if (_mm256_movemask_epi8(input) == 0) {
            // All ASCII: only a sequence the previous block left open is wrong.
            error = _mm256_or_si256(error, unfinished);
            unfinished = _mm256_setzero_si256();
        } else {
            high = _mm256_or_si256(high, input);
            error = _mm256_or_si256(error, block_errors(input, previous));
            unfinished = unfinished_end(input);
        }
        previous = input;
    }
    error = _mm256_or_si256(error, unfinished);
    if (!_mm256_testz_si256(error, error)) return 0;
    *ascii = _mm256_movemask_epi8(high) == 0;
    return 1;
}

int tidings_utf8_check(const unsigned char *bytes, size_t count, int *ascii) {
    // Reads what libgcc's start-up code found.
    if (!__builtin_cpu_supports("avx2")) return -1;
    return check_avx2(bytes, count, ascii);
}

#else

int tidings_utf8_check(const unsigned char *bytes, size_t count, int *ascii) {
    (void)bytes;
    (void)count;
    (void)ascii;
    return -1;
}

#endif
