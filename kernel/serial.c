/* serial.c - polled 16550 UART on COM1. Every byte ringtrip reports leaves
 * through here, so a missing UART must never make us spin forever - and on
 * a machine without one, nothing may be written to its ports blindly:
 * serial_init reads before it writes, and writes a configuration register
 * only once a UART has answered (README, "On any CPU"). */
#include "serial.h"
#include "abi.h"
#include "cpu.h"

enum { THR = 0, RBR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7,
       DLL = 0, DLM = 1 };
#define LSR_DR   0x01
#define LSR_THRE 0x20

/* bounded waits: a UART that stops answering costs time, never the run */
#define SPIN_LIMIT 1000000

static int present;
static const char *status = "none (not probed)";

static int lsr_wait(uint8_t bit)
{
	for (unsigned spin = 0; spin < SPIN_LIMIT; spin++)
		if (inb(COM1_PORT + LSR) & bit)
			return 1;
	return 0;
}

/* The scratch register is plain storage on every 16450/16550 and their
 * clones: writing it configures nothing. */
static int scratch_holds(uint8_t v)
{
	outb(COM1_PORT + SCR, v);
	return inb(COM1_PORT + SCR) == v;
}

int serial_init(void)
{
	const uint16_t b = COM1_PORT;
	present = 0;

	/* 1. read only: where nothing decodes the port the bus reads all
	 * ones; a 16550's line status register would need every error bit
	 * and Data Ready at once, with its transmitter empty */
	if (inb(b + LSR) == 0xFF) {
		status = "none (0x3FD reads 0xFF: nothing at COM1)";
		return -1;
	}

	/* 2. the scratch register (0x3FF) holds two patterns */
	uint8_t saved = inb(b + SCR);
	int ok = scratch_holds(0x55) && scratch_holds(0xAA);
	outb(b + SCR, saved);
	if (!ok) {
		status = "none (no scratch register at 0x3FF: not a 16550)";
		return -1;
	}

	/* 3. a UART answered: configure it */
	outb(b + IER, 0x00);          /* no interrupts: we poll */
	outb(b + LCR, 0x80);          /* DLAB to set the divisor */
	outb(b + DLL, 1);             /* 115200 = 115200 / 1 */
	outb(b + DLM, 0);
	outb(b + LCR, 0x03);          /* 8N1 */
	outb(b + FCR, 0xC7);          /* FIFOs on, cleared */

	/* 4. loopback: one byte must come back. A real UART shifts it
	 * through at the baud rate (~87 us), so wait for Data Ready. */
	outb(b + MCR, 0x1E);          /* loopback, OUT1/OUT2, RTS */
	outb(b + THR, 0xA5);
	present = lsr_wait(LSR_DR) && inb(b + RBR) == 0xA5;
	outb(b + MCR, 0x0F);          /* normal operation, OUT1/OUT2, RTS/DTR */
	status = present ? "com1" : "none (COM1 failed its loopback test)";
	return present ? 0 : -1;
}

int serial_present(void)
{
	return present;
}

const char *serial_status(void)
{
	return status;
}

void serial_disable(void)
{
	present = 0;
}

static void put(char c)
{
	lsr_wait(LSR_THRE);
	outb(COM1_PORT + THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	/* LF only: the capture is the CSV file, and CSV readers want LF */
	for (size_t i = 0; i < n; i++)
		put(s[i]);
}
