// Everything is in include/xml_scan.h (inline); a C target needs a source file.
#include "xml_scan.h"
