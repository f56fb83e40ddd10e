/*
 * test_hooks.h - deliberate breakage for the boot tests, in the test-hooks
 * kernel only (build/test-hooks/ringtrip.elf, compiled with
 * -DRINGTRIP_TEST_HOOKS; tests/boot/hardening.sh). In the default image
 * these are empty inline functions, and neither the test= option
 * (lib/options.c) nor any hook's code or name is in it.
 */
#ifndef RINGTRIP_TEST_HOOKS_H
#define RINGTRIP_TEST_HOOKS_H
#include <stdint.h>

#ifdef RINGTRIP_TEST_HOOKS
/* kmain, once the command line is parsed: arm the hooks test= named, and
 * run those that act at once (the stack overflows, which do not return) */
void test_hooks_boot(uint32_t test_mask);
/* shadow_build(), its tables complete: test=leak_shadow maps a kernel data
 * page there, Ring 3-readable, for the isolation proofs to catch */
void test_hooks_shadow_built(uint64_t *shadow_pml4);
#else
static inline void test_hooks_boot(uint32_t test_mask) { (void)test_mask; }
static inline void test_hooks_shadow_built(uint64_t *shadow_pml4) { (void)shadow_pml4; }
#endif

#endif
