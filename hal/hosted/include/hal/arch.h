/* Hosted platform: inline helpers for hal/hal.h. */
#ifndef ZERO_HAL_ARCH_H
#define ZERO_HAL_ARCH_H

#define HAL_PLATFORM_NAME "hosted"

static inline void hal_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#endif
