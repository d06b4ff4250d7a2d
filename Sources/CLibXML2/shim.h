#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its headers would pull in the system ICU, which
// clashes with the copy Foundation ships. Nothing here needs the ICU parts.
#undef LIBXML_ICU_ENABLED
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
