/* multiboot.c - read GRUB's multiboot2 boot information: command line,
 * boot loader name, memory map, framebuffer. Read through the direct map;
 * everything we keep is copied out, so the MBI may be overwritten later. */
#include "multiboot.h"
#include "abi.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

#define MB2_BOOT_MAGIC 0x36D76289
enum { TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER = 2, TAG_MMAP = 6, TAG_FB = 8 };

struct tag {
	uint32_t type, size;
};
struct mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

int multiboot_parse(uint32_t magic, uint64_t mbi_phys, struct boot_info *bi)
{
	memset(bi, 0, sizeof *bi);
	if (magic != MB2_BOOT_MAGIC || mbi_phys >= DIRECT_MAP_SIZE)
		return -1;
	const uint8_t *mbi = (const uint8_t *)(KERNEL_VMA + mbi_phys);
	uint32_t total = *(const uint32_t *)mbi;
	bi->mbi_end_phys = mbi_phys + total;

	for (uint32_t off = 8; off + 8 <= total;) {
		const struct tag *t = (const struct tag *)(mbi + off);
		if (t->type == TAG_END || t->size < 8)
			break;
		const uint8_t *body = (const uint8_t *)(t + 1);
		switch (t->type) {
		case TAG_CMDLINE: {
			/* the full length too, so the parser can say it was cut */
			const char *s = (const char *)body;
			uint64_t n = 0, max = t->size - sizeof *t;
			while (n < max && s[n])
				n++;
			bi->cmdline_len = n;
			strlcpy0(bi->cmdline, s, sizeof bi->cmdline);
			break;
		}
		case TAG_LOADER:
			strlcpy0(bi->loader, (const char *)body, sizeof bi->loader);
			break;
		case TAG_MMAP: {
			uint32_t esize = ((const uint32_t *)body)[0];
			const uint8_t *e = body + 8, *end = (const uint8_t *)t + t->size;
			for (; esize && e + esize <= end; e += esize) {
				const struct mmap_entry *m = (const struct mmap_entry *)e;
				if (m->type == 1 && bi->navail < MAX_REGIONS) {
					bi->avail[bi->navail].base = m->base;
					bi->avail[bi->navail].len = m->len;
					bi->navail++;
				}
			}
			break;
		}
		case TAG_FB:
			bi->has_fb = 1;
			bi->fb_addr = *(const uint64_t *)body;
			bi->fb_pitch = *(const uint32_t *)(body + 8);
			bi->fb_width = *(const uint32_t *)(body + 12);
			bi->fb_height = *(const uint32_t *)(body + 16);
			bi->fb_bpp = body[20];
			bi->fb_type = body[21];
			if (bi->fb_type == 1) {     /* after 2 reserved bytes */
				bi->fb_rpos = body[24];
				bi->fb_rsize = body[25];
				bi->fb_gpos = body[26];
				bi->fb_gsize = body[27];
				bi->fb_bpos = body[28];
				bi->fb_bsize = body[29];
			}
			break;
		}
		off += (t->size + 7) & ~7u;
	}
	return 0;
}
