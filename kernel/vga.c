/* vga.c - the VGA text buffer at phys 0xB8000, reached through the direct
 * map. Scrolls; no cursor hardware is touched. */
#include "vga.h"
#include "abi.h"
#include <stdint.h>

#define COLS 80
#define ROWS 25

static volatile uint16_t *const text = (volatile uint16_t *)(KERNEL_VMA + 0xB8000);
static unsigned row, col;
static unsigned char attr = 0x07;

void vga_set_color(unsigned char a)
{
	attr = a;
}

void vga_init(void)
{
	for (unsigned i = 0; i < COLS * ROWS; i++)
		text[i] = (uint16_t)(attr << 8 | ' ');
	row = col = 0;
}

static void newline(void)
{
	col = 0;
	if (++row < ROWS)
		return;
	for (unsigned i = 0; i < COLS * (ROWS - 1); i++)
		text[i] = text[i + COLS];
	for (unsigned i = 0; i < COLS; i++)
		text[COLS * (ROWS - 1) + i] = (uint16_t)(attr << 8 | ' ');
	row = ROWS - 1;
}

void vga_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			newline();
			continue;
		}
		if (c == '\r')
			continue;
		if (col == COLS)
			newline();
		text[row * COLS + col++] = (uint16_t)(attr << 8 | (unsigned char)c);
	}
}
