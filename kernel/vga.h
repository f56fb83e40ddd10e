#ifndef RINGTRIP_VGA_H
#define RINGTRIP_VGA_H
#include <stddef.h>
/* 80x25 VGA text console for progress on a monitor. */
void vga_init(void);
void vga_write(const char *s, size_t n);
void vga_set_color(unsigned char attr);
#endif
