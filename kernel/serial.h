#ifndef RINGTRIP_SERIAL_H
#define RINGTRIP_SERIAL_H
#include <stddef.h>
/* COM1 at 115200 8N1. serial_init returns 0 if the UART answered its
 * loopback test; output is dropped (not hung on) when it did not. */
int serial_init(void);
int serial_present(void);
void serial_disable(void);     /* serial=off: nothing more goes to COM1 */
void serial_write(const char *s, size_t n);
#endif
