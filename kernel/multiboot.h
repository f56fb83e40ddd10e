#ifndef RINGTRIP_MULTIBOOT_H
#define RINGTRIP_MULTIBOOT_H
#include <stdint.h>

#define MAX_REGIONS 32

struct mem_region {
	uint64_t base, len;
};

struct boot_info {
	char cmdline[512];
	uint64_t cmdline_len;   /* as GRUB passed it, before the cut to 511 bytes */
	char loader[64];
	struct mem_region avail[MAX_REGIONS];   /* usable RAM (type 1) */
	unsigned navail;
	uint64_t mbi_end_phys;                  /* first byte after the MBI */
	int has_fb;
	uint32_t fb_type;                       /* 0 indexed, 1 RGB, 2 EGA text */
	uint32_t fb_width, fb_height, fb_bpp, fb_pitch;
	uint64_t fb_addr;
	uint8_t fb_rpos, fb_rsize, fb_gpos, fb_gsize, fb_bpos, fb_bsize;  /* RGB */
};

/* Returns 0, or -1 if the structure is not a multiboot2 boot information. */
int multiboot_parse(uint32_t magic, uint64_t mbi_phys, struct boot_info *bi);

#endif
