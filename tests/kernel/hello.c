/* Example program: greets on the console, then asks the kernel for its state. */
#include "zero/zero.h"

int zero_main(uint64_t arg)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    zprintf("hello from user space: Zero OS init (arg %llu), %llu free frames, %llu capabilities\n",
            (unsigned long long)arg, (unsigned long long)r.rdi, (unsigned long long)r.rsi);
    return 0;
}
