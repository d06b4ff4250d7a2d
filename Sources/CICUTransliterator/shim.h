// ICU's transliterator C API, as the Swift toolchain's lib_FoundationICU exports it
// on Linux (ICU's symbols with a `swift_` prefix). Foundation's applyingTransform
// builds a new transliterator for every call — for Any-Latin that means loading
// the Han-Latin rules each time — so Tidings keeps one open instead.
#ifdef __linux__
#include <stdint.h>

typedef uint16_t TidingsUChar;
typedef struct TidingsUTransliterator TidingsUTransliterator;
typedef struct TidingsUParseError {
    int32_t line;
    int32_t offset;
    TidingsUChar preContext[16];
    TidingsUChar postContext[16];
} TidingsUParseError;

TidingsUTransliterator *swift_utrans_openU(const TidingsUChar *id, int32_t idLength, int dir,
                                           const TidingsUChar *rules, int32_t rulesLength,
                                           TidingsUParseError *parseError, int *status);
void swift_utrans_transUChars(const TidingsUTransliterator *trans, TidingsUChar *text, int32_t *textLength,
                              int32_t textCapacity, int32_t start, int32_t *limit, int *status);
void swift_utrans_close(TidingsUTransliterator *trans);
#endif
