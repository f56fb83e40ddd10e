#ifndef RINGTRIP_SERIAL_H
#define RINGTRIP_SERIAL_H
#include <stddef.h>
/* COM1 at 115200 8N1. serial_init probes before it configures: it reads
 * the line status register (0xFF: nothing there), then checks the scratch
 * register holds two patterns, and only then programs the UART and runs a
 * loopback test. It returns 0 if a UART answered all three; otherwise
 * output is dropped (not hung on) and nothing was written to a
 * configuration register. */
int serial_init(void);
int serial_present(void);
/* "com1", or "none (why)": for the screen, where it can be seen when COM1
 * is missing */
const char *serial_status(void);
void serial_disable(void);     /* serial=off: nothing more goes to COM1 */
void serial_write(const char *s, size_t n);
#endif
