#ifndef RINGTRIP_EXIT_H
#define RINGTRIP_EXIT_H
#include "../lib/options.h"
/* End the run with one of the EXIT_* codes of abi.h: through QEMU's
 * isa-debug-exit (port 0xF4) with exit=qemu, or with exit=auto where QEMU is
 * detected (qemu_detect.h); otherwise halt with a "done" line on the screen
 * (exit=reboot: a triple fault; exit=bochs: Bochs' shutdown port 0x8900).
 * Never returns. */
void exit_configure(enum exit_mode mode);
__attribute__((noreturn)) void rt_exit(unsigned code);
/* "# error: what" on serial and screen, then rt_exit(EXIT_SETUP) */
__attribute__((noreturn)) void setup_failed(const char *what);
/* the same, naming the path (or whatever) it is about */
__attribute__((noreturn)) void setup_failed_path(const char *what, const char *name);
#endif
