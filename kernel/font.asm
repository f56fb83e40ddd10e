; font.asm - the console font for the framebuffer screen: a PSF1 font from
; Debian's kbd package (Lat15-VGA16, 8x16), decompressed into build/gen/ by
; the Makefile and embedded as is; kernel/fbcon.c reads its header and its
; Unicode table.
section .rodata
global console_font, console_font_end
console_font:
	incbin "console-font.psf"
console_font_end:
