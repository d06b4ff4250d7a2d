// The XML tokenizer's scan over plain text, sixteen bytes at a time (SSE2, which
// every x86-64 processor has). Inline, so that Swift's optimizer inlines it into the
// tokenizer's loops.
#ifndef TIDINGS_XML_SCAN_H
#define TIDINGS_XML_SCAN_H

#include <stddef.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

/// The first index from `index` whose byte is not plain text: "]", a control
/// character other than tab and line feed (carriage return included), a byte of
/// 0x80 or more, and, when `markup` is nonzero, "<" and "&". Looks at whole blocks
/// of sixteen bytes only: when fewer than sixteen remain before `end` without such a
/// byte, returns where they start, for the caller to finish.
static inline size_t tidings_xml_plain_end(const unsigned char *bytes, size_t index, size_t end, int markup) {
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i tab = _mm_set1_epi8(9);
    const __m128i line_feed = _mm_set1_epi8(10);
    const __m128i bracket = _mm_set1_epi8(']');
    const __m128i less_than = _mm_set1_epi8('<');
    const __m128i ampersand = _mm_set1_epi8('&');
    while (index + 16 <= end) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        // Signed: bytes of 0x80 and more are below 0x20 too.
        __m128i special = _mm_andnot_si128(
            _mm_or_si128(_mm_cmpeq_epi8(block, tab), _mm_cmpeq_epi8(block, line_feed)),
            _mm_cmplt_epi8(block, space));
        special = _mm_or_si128(special, _mm_cmpeq_epi8(block, bracket));
        if (markup) {
            special = _mm_or_si128(
                special, _mm_or_si128(_mm_cmpeq_epi8(block, less_than), _mm_cmpeq_epi8(block, ampersand)));
        }
        int mask = _mm_movemask_epi8(special);
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
        index += 16;
    }
    return index;
}

#define TIDINGS_XML_SCAN_SSE2 1
#endif

#endif
