/* x86_64 platform: inline helpers for hal/hal.h. */
#ifndef ZERO_HAL_ARCH_H
#define ZERO_HAL_ARCH_H

#define HAL_PLATFORM_NAME "x86_64"

static inline void hal_cpu_relax(void)
{
    __asm__ volatile("pause");
}

#endif
