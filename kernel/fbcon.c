/* fbcon.c - see fbcon.h. The framebuffer may lie anywhere in physical
 * memory (often above the 1 GiB direct map), so it gets its own mapping at
 * FB_VA. 15, 16, 24 and 32 bits per pixel; the colours are the VGA text
 * palette, so the rest of the kernel does not care which screen it has. */
#include "fbcon.h"
#include "abi.h"
#include "paging.h"
#include "../lib/string.h"

#define FB_VA       0xFFFFFFFFC0000000ULL    /* the top 1 GiB, unused otherwise */
#define FB_MAX      0x04000000ULL            /* 64 MiB is plenty */
#define PSF1_MAGIC  0x0436
#define PSF1_512    0x01
#define PSF1_TABLE  0x02

extern const uint8_t console_font[], console_font_end[];

static uint8_t *fb;
static uint32_t pitch, width, height, bpp;
static uint8_t rpos, rsize, gpos, gsize, bpos, bsize;
static unsigned cols, rows, col, row, glyph_h;
static const uint8_t *glyphs;
static uint16_t glyph_of[128];
static uint32_t fg, bg;

static const uint8_t vga_rgb[16][3] = {
	{ 0, 0, 0 }, { 0, 0, 170 }, { 0, 170, 0 }, { 0, 170, 170 },
	{ 170, 0, 0 }, { 170, 0, 170 }, { 170, 85, 0 }, { 170, 170, 170 },
	{ 85, 85, 85 }, { 85, 85, 255 }, { 85, 255, 85 }, { 85, 255, 255 },
	{ 255, 85, 85 }, { 255, 85, 255 }, { 255, 255, 85 }, { 255, 255, 255 },
};

static uint32_t pixel(unsigned vga)
{
	const uint8_t *c = vga_rgb[vga & 15];
	return ((uint32_t)(c[0] >> (8 - rsize)) << rpos) |
	       ((uint32_t)(c[1] >> (8 - gsize)) << gpos) |
	       ((uint32_t)(c[2] >> (8 - bsize)) << bpos);
}

void fbcon_set_color(unsigned char attr)
{
	fg = pixel(attr & 15);
	bg = pixel(attr >> 4);
}

/* PSF1: 4-byte header, glyphs, then (with PSF1_TABLE) per glyph the
 * UCS-2 code points it shows, ended by 0xFFFF. Without a table, glyph i
 * shows character i. */
static int font_init(void)
{
	const uint8_t *f = console_font;
	if ((uint64_t)(console_font_end - f) < 4 || (f[0] | f[1] << 8) != PSF1_MAGIC)
		return -1;
	unsigned n = f[2] & PSF1_512 ? 512 : 256;
	glyph_h = f[3];
	glyphs = f + 4;
	for (unsigned c = 0; c < 128; c++)
		glyph_of[c] = (uint16_t)(c < n ? c : '?');
	if (!(f[2] & PSF1_TABLE))
		return 0;
	const uint8_t *t = glyphs + (uint64_t)n * glyph_h;
	for (unsigned g = 0; g < n && t + 2 <= console_font_end; g++) {
		for (;;) {
			uint16_t u = (uint16_t)(t[0] | t[1] << 8);
			t += 2;
			if (u == 0xFFFF || t + 2 > console_font_end)
				break;
			if (u < 128)
				glyph_of[u] = (uint16_t)g;
		}
	}
	return 0;
}

static void put_pixel(uint8_t *line, unsigned x, uint32_t v)
{
	switch (bpp) {
	case 32:
		((uint32_t *)line)[x] = v;
		break;
	case 24:
		line[3 * x] = (uint8_t)v;
		line[3 * x + 1] = (uint8_t)(v >> 8);
		line[3 * x + 2] = (uint8_t)(v >> 16);
		break;
	default:
		((uint16_t *)line)[x] = (uint16_t)v;
	}
}

/* a glyph with its top left corner at pixel (px, py), inside the screen */
static void draw_px(unsigned px, unsigned py, char ch)
{
	const uint8_t *g = glyphs + (uint64_t)glyph_of[(unsigned char)ch & 127] * glyph_h;
	for (unsigned y = 0; y < glyph_h; y++) {
		uint8_t *line = fb + (uint64_t)(py + y) * pitch;
		for (unsigned x = 0; x < 8; x++)
			put_pixel(line, px + x, (g[y] >> (7 - x)) & 1 ? fg : bg);
	}
}

static void draw(unsigned c, unsigned r, char ch)
{
	draw_px(c * 8, r * glyph_h, ch);
}

static void clear_rows(unsigned from, unsigned to)
{
	for (unsigned y = from * glyph_h; y < to * glyph_h; y++)
		for (unsigned x = 0; x < width; x++)
			put_pixel(fb + (uint64_t)y * pitch, x, bg);
}

static void newline(void)
{
	col = 0;
	if (++row < rows)
		return;
	memmove(fb, fb + (uint64_t)glyph_h * pitch, (uint64_t)(rows - 1) * glyph_h * pitch);
	clear_rows(rows - 1, rows);
	row = rows - 1;
}

void fbcon_write(const char *s, size_t n)
{
	if (!fb)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			newline();
			continue;
		}
		if (s[i] == '\r')
			continue;
		if (col == cols)
			newline();
		draw(col++, row, s[i]);
	}
}

int fbcon_init(const struct boot_info *bi)
{
	if (!bi->has_fb || bi->fb_type != 1 || font_init())
		return -1;
	if (bi->fb_bpp != 32 && bi->fb_bpp != 24 && bi->fb_bpp != 16 && bi->fb_bpp != 15)
		return -1;
	uint64_t size = (uint64_t)bi->fb_pitch * bi->fb_height;
	if (size > FB_MAX)
		return -1;
	uint64_t base = bi->fb_addr & ~(PAGE_SIZE - 1), off = bi->fb_addr - base;
	for (uint64_t o = 0; o < off + size; o += PAGE_SIZE)
		if (pt_map(kernel_pml4(), FB_VA + o, base + o, PTE_W | PTE_NX))
			return -1;
	fb = (uint8_t *)(FB_VA + off);
	pitch = bi->fb_pitch;
	width = bi->fb_width;
	height = bi->fb_height;
	bpp = bi->fb_bpp;
	rpos = bi->fb_rpos; rsize = bi->fb_rsize;
	gpos = bi->fb_gpos; gsize = bi->fb_gsize;
	bpos = bi->fb_bpos; bsize = bi->fb_bsize;
	cols = width / 8;
	rows = height / glyph_h;
	fbcon_set_color(0x07);
	clear_rows(0, rows);
	row = col = 0;
	return 0;
}

int fbcon_active(void)
{
	return fb != 0;
}

void fbcon_geometry(unsigned *w, unsigned *h, unsigned *gh)
{
	*w = fb ? width : 0;
	*h = fb ? height : 0;
	*gh = glyph_h;
}

void fbcon_fill(unsigned x, unsigned y, unsigned w, unsigned h, unsigned vga_color)
{
	if (!fb || x >= width || y >= height)
		return;
	if (w > width - x)
		w = width - x;
	if (h > height - y)
		h = height - y;
	uint32_t v = pixel(vga_color);
	for (unsigned r = y; r < y + h; r++) {
		uint8_t *line = fb + (uint64_t)r * pitch;
		for (unsigned c = x; c < x + w; c++)
			put_pixel(line, c, v);
	}
}

void fbcon_text_at(unsigned x, unsigned y, const char *s)
{
	if (!fb || y + glyph_h > height)
		return;
	for (; *s && x + 8 <= width; s++, x += 8)
		draw_px(x, y, *s);
}
