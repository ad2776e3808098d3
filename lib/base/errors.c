#include "base/errors.h"

static const char *const zerr_names[] = {
#define ZERR_NAME(name, value, text) [-(value)] = #name,
    ZERR_LIST(ZERR_NAME)
#undef ZERR_NAME
};

static const char *const zerr_texts[] = {
#define ZERR_TEXT(name, value, text) [-(value)] = (text),
    ZERR_LIST(ZERR_TEXT)
#undef ZERR_TEXT
};

const char *zerr_name(int code)
{
    if (code > 0 || code < ZERR_MIN) {
        return "ZERR_UNKNOWN";
    }
    return zerr_names[-code];
}

const char *zerr_text(int code)
{
    if (code > 0 || code < ZERR_MIN) {
        return "unknown error";
    }
    return zerr_texts[-code];
}
