/* console.c - see console.h */
#include "console.h"
#include "serial.h"
#include "vga.h"
#include "fbcon.h"
#include "qr_payload.h"
#include "abi.h"
#include "../lib/crc32.h"
#include "../lib/string.h"

static int screen_is_fb;
/* CRC-32 of every byte of the serial stream since console_begin_capture():
 * the trailer's crc32= (CSV version 2). It runs whether or not a UART is
 * there (serial=off, no COM1), so it always describes what the serial
 * stream is, not what reached a wire. */
static uint32_t serial_crc;
/* 0 while a serial line is unfinished - also while a write is under way,
 * so an NMI or fault that lands inside one finds it unfinished */
static volatile int serial_line_done = 1;

/* After the boot information is read: a linear framebuffer (UEFI) replaces
 * the VGA text buffer, which such a machine does not show. */
void console_use_framebuffer(const struct boot_info *bi)
{
	if (!fbcon_init(bi))
		screen_is_fb = 1;
}

void console_write(int where, const char *s, size_t n)
{
	if ((where & CON_SERIAL) && n) {
		serial_line_done = 0;
		serial_crc = crc32_update(serial_crc, s, n);
		qr_payload_feed(s, n);          /* the QR codes' copy, without # hist */
		serial_write(s, n);
		serial_line_done = s[n - 1] == '\n';
	}
	if (where & CON_SCREEN) {
		if (screen_is_fb)
			fbcon_write(s, n);
		else
			vga_write(s, n);
	}
}

void console_puts(int where, const char *s)
{
	console_write(where, s, strlen(s));
}

void console_sb(int where, struct sbuf *sb)
{
	console_write(where, sb->buf, sb->len);
	sb->len = 0;
	sb->overflow = 0;
	if (sb->cap)
		sb->buf[0] = 0;
}

void console_begin_capture(void)
{
	serial_crc = 0;
	qr_payload_reset();
	console_puts(CON_SERIAL, CSV_FIRST_LINE);
}

void console_fresh_line(void)
{
	if (!serial_line_done)
		console_write(CON_SERIAL, "\n", 1);
}

uint32_t console_serial_crc(void)
{
	return serial_crc;
}
