/* console.h - where Ring 0 text goes: serial (the result file) and screen. */
#ifndef RINGTRIP_CONSOLE_H
#define RINGTRIP_CONSOLE_H
#include <stddef.h>
#include <stdint.h>
#include "../lib/fmt.h"

#define CON_SERIAL 1
#define CON_SCREEN 2
#define CON_BOTH   3

struct boot_info;
void console_use_framebuffer(const struct boot_info *bi);
void console_write(int where, const char *s, size_t n);
void console_puts(int where, const char *s);
/* a line buffer for building one line with the sb_* functions */
#define KLINE(name) char name##_buf[256]; struct sbuf name; sb_init(&name, name##_buf, sizeof name##_buf)
void console_sb(int where, struct sbuf *sb);   /* writes and resets sb */
/* The capture's first line, CSV_FIRST_LINE, on serial; the running CRC of
 * the serial stream starts (again) at it, so nothing before that line -
 * what the capture tools cut off - is in the trailer's crc32. */
void console_begin_capture(void);
/* End an unfinished serial line (an exception can land in the middle of
 * one), so a report that follows starts a line of its own. */
void console_fresh_line(void);
/* CRC-32 of every byte written to CON_SERIAL since console_begin_capture(),
 * kept even with serial=off or no UART; SVC_OUTPUT_CRC returns it */
uint32_t console_serial_crc(void);

#endif
