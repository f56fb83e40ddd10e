#ifndef RINGTRIP_FBCON_H
#define RINGTRIP_FBCON_H
#include <stddef.h>
#include "multiboot.h"
/* Text on a linear RGB framebuffer (what UEFI's GOP gives), drawn with the
 * embedded PSF font. fbcon_init returns 0 if it took over the screen. */
int fbcon_init(const struct boot_info *bi);
void fbcon_write(const char *s, size_t n);
void fbcon_set_color(unsigned char vga_attr);   /* VGA attribute byte */
#endif
