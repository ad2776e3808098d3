/* x86_64 platform: inline helpers for hal/hal.h. */
#ifndef ZERO_HAL_ARCH_H
#define ZERO_HAL_ARCH_H

#define HAL_PLATFORM_NAME "x86_64"

#include <stdbool.h>

/* The serial line discipline's echo: off while a secret is typed (a terminal's t->echo). */
void hal_console_echo(bool on);

static inline void hal_cpu_relax(void)
{
    __asm__ volatile("pause");
}

#endif
