/* The log-in challenge message (services/identity/login.h). */
#include "services/identity/login.h"

#include "base/string.h"
#include "services/identity/identity.h"

size_t id_login_message(const char *name, const uint8_t challenge[ID_CHALLENGE_LEN],
                        uint8_t out[ID_LOGIN_MSG_MAX])
{
    size_t n = strlen(name);
    size_t pos = sizeof(ID_LOGIN_DOMAIN);

    if (!id_name_valid(name, n)) {
        return 0;
    }
    memcpy(out, ID_LOGIN_DOMAIN, pos);
    memcpy(out + pos, name, n + 1);
    pos += n + 1;
    memcpy(out + pos, challenge, ID_CHALLENGE_LEN);
    return pos + ID_CHALLENGE_LEN;
}
