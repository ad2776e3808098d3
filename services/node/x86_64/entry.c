/* x86_64 user-program entry of the console node (the user runtime calls zero_main). */
#include <stdint.h>

#include "services/node/node.h"

int zero_main(uint64_t arg);

int zero_main(uint64_t arg)
{
    (void)arg;
    return node_console_main(2u * 1024u * 1024u, "root");
}
