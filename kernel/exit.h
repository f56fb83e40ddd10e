#ifndef RINGTRIP_EXIT_H
#define RINGTRIP_EXIT_H
#include "../lib/options.h"
/* End the run with one of the EXIT_* codes of abi.h: through QEMU's
 * isa-debug-exit where that is wanted, otherwise halt with a "done" line on
 * the screen. Never returns. */
void exit_configure(enum exit_mode mode);
__attribute__((noreturn)) void rt_exit(unsigned code);
#endif
