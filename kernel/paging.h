#ifndef RINGTRIP_PAGING_H
#define RINGTRIP_PAGING_H
#include <stdint.h>
#include "abi.h"
#include "multiboot.h"

#define PAGE_SIZE 4096ULL
#define PTE_P   (1ULL << 0)
#define PTE_W   (1ULL << 1)
#define PTE_U   (1ULL << 2)
#define PTE_PS  (1ULL << 7)
#define PTE_G   (1ULL << 8)     /* global: kept across CR3 writes while CR4.PGE */
#define PTE_NX  (1ULL << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ULL

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + KERNEL_VMA);
}

extern uint64_t kernel_cr3;

/* Physical pages come from the largest usable region above the kernel. */
void phys_init(const struct boot_info *bi, uint64_t kernel_end_phys);
uint64_t phys_alloc_page(void);          /* zeroed; 0 when out of memory */
uint64_t phys_free_bytes(void);
int phys_allocated(uint64_t pa);         /* handed out by phys_alloc_page()? */

/* Build the kernel's address space (high-half direct map + the user image
 * at USER_IMAGE_VA with U/S set only there) and switch to it. */
void paging_init(void);
/* Map one 4 KiB page; flags are PTE_* bits. Returns 0 or -1 (no memory). */
int pt_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t flags);
/* Back [va, va+bytes) with fresh zeroed pages, physically contiguous from
 * *pa_out, for Ring 3 (U/S set). 0 or -1. */
int map_user_range(uint64_t va, uint64_t bytes, uint64_t flags, uint64_t *pa_out);
/* The leaf entry mapping va (a 4 KiB PTE or a 2 MiB PDE), or 0. */
uint64_t pt_lookup(const uint64_t *pml4, uint64_t va);
/* clear va's 4 KiB mapping (if any) and invlpg it; the tables stay */
void pt_unmap(uint64_t *pml4, uint64_t va);
uint64_t *kernel_pml4(void);
int nx_enabled(void);

#endif
