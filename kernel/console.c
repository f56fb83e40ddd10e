/* console.c - see console.h */
#include "console.h"
#include "serial.h"
#include "vga.h"
#include "../lib/string.h"

void console_write(int where, const char *s, size_t n)
{
	if (where & CON_SERIAL)
		serial_write(s, n);
	if (where & CON_SCREEN)
		vga_write(s, n);
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
