#ifndef RINGTRIP_FBCON_H
#define RINGTRIP_FBCON_H
#include <stddef.h>
#include "multiboot.h"
/* Text on a linear RGB framebuffer (what UEFI's GOP gives), drawn with the
 * embedded PSF font. fbcon_init returns 0 if it took over the screen. */
int fbcon_init(const struct boot_info *bi);
void fbcon_write(const char *s, size_t n);
void fbcon_set_color(unsigned char vga_attr);   /* VGA attribute byte */

/* For pictures drawn on the screen (the QR codes, kernel/qr_screen.c):
 * whether fbcon_init took the screen, its size in pixels and the font's
 * glyph height (glyphs are 8 pixels wide), a filled rectangle in a VGA
 * palette colour, and text at a pixel position in the current colours,
 * cut at the right edge. Everything is clipped to the screen. */
int fbcon_active(void);
void fbcon_geometry(unsigned *width, unsigned *height, unsigned *glyph_height);
void fbcon_fill(unsigned x, unsigned y, unsigned w, unsigned h, unsigned vga_color);
void fbcon_text_at(unsigned x, unsigned y, const char *s);
#endif
