/* exit.c - see exit.h. On hardware we never poke the debug-exit port: it is
 * used only where QEMU's own fw_cfg device answered (exit=auto, and only
 * asked under a hypervisor) or when asked for (exit=qemu). */
#include "exit.h"
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "fred.h"
#include "qemu_detect.h"
#include "qr_screen.h"

static enum exit_mode mode = EXIT_AUTO;

void exit_configure(enum exit_mode m)
{
	mode = m;
}

void rt_exit(unsigned code)
{
	static const char *const what[] = {
		[EXIT_OK] = "done: all self-tests passed",
		[EXIT_SELFTEST] = "done: a self-test FAILED",
		[EXIT_PANIC] = "stopped: unexpected exception",
		[EXIT_SETUP] = "stopped: setup failed",
	};
	const char *status = code < 4 ? what[code] : "stopped";
	console_puts(CON_SCREEN, "\nringtrip ");
	console_puts(CON_SCREEN, status);
	console_puts(CON_SCREEN, "; the machine is halted\n");
	int to_qemu = mode == EXIT_QEMU || (mode == EXIT_AUTO && qemu_detected());
	/* the results as QR codes, where asked for (qr=, kernel/qr_screen.c):
	 * a machine that would halt pages through them for good instead */
	qr_screen_end_of_run(code, status, to_qemu || mode == EXIT_BOCHS ? QR_END_EXIT :
				    mode == EXIT_REBOOT ? QR_END_REBOOT : QR_END_HALT);
	if (to_qemu)
		outl(ISA_DEBUG_EXIT_PORT, code);
	if (mode == EXIT_REBOOT) {
		/* a triple fault resets every PC, and touches no I/O port: load
		 * an empty IDT and raise an exception - with FRED off, which
		 * would deliver it without reading the IDT */
		fred_disable();
		struct { uint16_t limit; uint64_t base; } __attribute__((packed)) none = { 0, 0 };
		__asm__ volatile("lidt %0; int3" : : "m"(none));
	}
	if (mode == EXIT_BOCHS) {
		/* Bochs has no debug-exit device; its shutdown port ends the
		 * emulator. The result is in the capture, not the exit status. */
		for (const char *p = "Shutdown"; *p; p++)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	}
	cpu_halt_forever();
}

void setup_failed_path(const char *what, const char *name)
{
	KLINE(l);
	sb_puts(&l, "# error: ");
	sb_puts(&l, what);
	if (name) {
		sb_puts(&l, ": ");
		sb_puts(&l, name);
	}
	sb_endline(&l);
	console_sb(CON_BOTH, &l);
	rt_exit(EXIT_SETUP);
}

void setup_failed(const char *what)
{
	setup_failed_path(what, 0);
}
