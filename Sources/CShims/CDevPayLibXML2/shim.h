// libxml2 for parsing service answers and writing SOAP requests.
//
// xmlversion.h comes first and LIBXML_ICU_ENABLED is undefined before anything else: otherwise libxml2
// pulls in ICU's headers, whose UErrorCode then clashes with the copy Foundation ships
// ("'UErrorCode' has different definitions in different modules").
#ifndef CDEVPAY_LIBXML2_SHIM_H
#define CDEVPAY_LIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

// xmlParserVersion is a macro over a per-thread global that Swift cannot import.
static inline const char *devpay_xml_parser_version(void) {
    return xmlParserVersion;
}

// xmlFree is a global function pointer, which Swift 6 sees as shared mutable state.
static inline void devpay_xml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
