/* qr_screen.h - the end of a run on a machine without COM1: the results
 * (kernel/qr_payload.h) as numbered QR codes on the framebuffer, page after
 * page, for a phone to scan and results/qr-import to turn back into the
 * CSV. In VGA text mode (a BIOS boot of ringtrip.elf) a code of that size
 * cannot be drawn: the screen says so and how to get a framebuffer. */
#ifndef RINGTRIP_QR_SCREEN_H
#define RINGTRIP_QR_SCREEN_H
#include <stdint.h>

/* qr_mode: enum qr_mode (lib/options.h); serial_works: a UART answered and
 * serial=off was not given; tsc_hz: 0 if unknown (the page timer then
 * assumes 2 GHz). Until this is called the screen shows no codes. */
void qr_screen_configure(int qr_mode, int serial_works, uint64_t tsc_hz);

/* How the machine ends after the codes */
enum qr_end {
	QR_END_HALT,    /* it would halt: page through the codes forever instead */
	QR_END_REBOOT,  /* it resets: every page once (its time), then return */
	QR_END_EXIT,    /* QEMU's exit port or Bochs' shutdown: draw the first page, return */
};

/* Called by rt_exit() once the run is over; exit_code is the run's
 * EXIT_* (no codes after a panic or failed setup: there is no trailer),
 * status the words rt_exit printed ("done: all self-tests passed"). */
void qr_screen_end_of_run(unsigned exit_code, const char *status, enum qr_end end);

#endif
