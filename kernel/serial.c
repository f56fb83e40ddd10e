/* serial.c - polled 16550 UART on COM1. Every byte ringtrip reports leaves
 * through here, so a missing UART must never make us spin forever. */
#include "serial.h"
#include "abi.h"
#include "cpu.h"

enum { THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, DLL = 0, DLM = 1 };
#define LSR_THRE 0x20

static int present;

int serial_init(void)
{
	const uint16_t b = COM1_PORT;
	outb(b + IER, 0x00);          /* no interrupts: we poll */
	outb(b + LCR, 0x80);          /* DLAB to set the divisor */
	outb(b + DLL, 1);             /* 115200 = 115200 / 1 */
	outb(b + DLM, 0);
	outb(b + LCR, 0x03);          /* 8N1 */
	outb(b + FCR, 0xC7);          /* FIFOs on, cleared */
	outb(b + MCR, 0x1E);          /* loopback to test the chip */
	outb(b + THR, 0xA5);
	present = inb(b + THR) == 0xA5;
	outb(b + MCR, 0x0F);          /* normal operation, OUT1/OUT2, RTS/DTR */
	return present ? 0 : -1;
}

int serial_present(void)
{
	return present;
}

void serial_disable(void)
{
	present = 0;
}

static void put(char c)
{
	/* bounded wait: a wedged UART costs time, never the run */
	for (unsigned spin = 0; spin < 1000000; spin++)
		if (inb(COM1_PORT + LSR) & LSR_THRE)
			break;
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
