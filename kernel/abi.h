/*
 * abi.h - the constants that Ring 0 C, Ring 3 C and NASM must agree on.
 *
 * This is the one source of truth: NASM never spells a selector, an MSR number
 * or an address itself; it includes build/gen/asm_offsets.inc, generated from
 * this header (and the structure layouts) by kernel/asm_offsets.c. NASM never
 * reads this file, so C syntax (ULL suffixes, X-macros) is fine here; a
 * constant NASM needs goes through asm_offsets.c.
 */
#ifndef RINGTRIP_ABI_H
#define RINGTRIP_ABI_H

/* GDT selectors, laid out as Windows x64 does (KGDT64_*): STAR/SYSRET need
 * user32 code, user data, user64 code in that order, 8 bytes apart. */
#define SEL_KCODE    0x10   /* KGDT64_R0_CODE */
#define SEL_KDATA    0x18   /* KGDT64_R0_DATA */
#define SEL_UCODE32  0x20   /* KGDT64_R3_CMCODE: SYSRET's base */
#define SEL_UDATA    0x28   /* KGDT64_R3_DATA */
#define SEL_UCODE64  0x30   /* KGDT64_R3_CODE */
#define SEL_UDATA_CMTEB 0x38 /* KGDT64_R3_CMTEB: a DPL 3 data segment, and
				the SS that SYSEXIT loads (SYSENTER_CS + 40) */
#define SEL_TSS      0x40   /* KGDT64_SYS_TSS, 16 bytes */
#define SEL_CALLGATE 0x50   /* 64-bit call gate, DPL 3, 16 bytes */
#define GDT_ENTRIES  12
#define RPL3         3

/* MSRs */
#define MSR_SYSENTER_CS     0x174
#define MSR_SYSENTER_ESP    0x175
#define MSR_SYSENTER_EIP    0x176
#define MSR_EFER            0xC0000080
#define MSR_STAR            0xC0000081
#define MSR_LSTAR           0xC0000082
#define MSR_CSTAR           0xC0000083
#define MSR_SFMASK          0xC0000084
#define MSR_FS_BASE         0xC0000100
#define MSR_GS_BASE         0xC0000101
#define MSR_KERNEL_GS_BASE  0xC0000102
#define EFER_SCE            (1 << 0)
#define EFER_LME            (1 << 8)
#define EFER_NXE            (1 << 11)

/* RFLAGS bits; SFMASK clears IF|TF|DF|NT like Windows' 0x4700. */
#define RFLAGS_TF   0x100
#define RFLAGS_IF   0x200
#define RFLAGS_DF   0x400
#define RFLAGS_NT   0x4000
#define RFLAGS_AC   0x40000
#define SFMASK_VALUE (RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT)

/* IDT vectors of our own (exceptions are 0-31). */
#define VEC_CONTROL   0x2F  /* the control gate: print, exit, select path */
#define VEC_INT2E     0x2E  /* KiSystemService's vector */
#define VEC_TRAPGATE  0x2B  /* the same service call through a trap gate */
/* trap_frame.vector of frames built without an IDT vector */
#define TF_VECTOR_SYSCALL  0x100
#define TF_VECTOR_SYSENTER 0x101
#define TF_VECTOR_CALLGATE 0x102
#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3
#define IST_SERVICE 4       /* the int_ist path's gate */
/* the exception paths */
#define VEC_DPL0_PROBE 0x40 /* a present DPL 0 gate: Ring 3 `int 0x40` -> #GP */
#define USER_PF_VA     0x0000000030000000ULL  /* exc_pf's page, mapped on demand */

/* Address-space layout. The kernel lives in the top 2 GiB (-mcmodel=kernel);
 * phys [0, 1 GiB) is mapped there with 2 MiB supervisor pages. Ring 3 lives
 * low, like a Windows process. */
#define KERNEL_VMA          0xFFFFFFFF80000000ULL
#define DIRECT_MAP_SIZE     0x40000000ULL          /* 1 GiB */
#define USER_IMAGE_VA       0x0000000000400000ULL
#define USER_SAMPLES_VA     0x0000000010000000ULL
#define USER_SHARED_VA      0x000000007FFE0000ULL  /* like KUSER_SHARED_DATA */
/* MmUserProbeAddress: the first address the kernel never treats as user.
 * The 64 KiB below the canonical hole are never mapped, so a copy clamped to
 * this address faults, exactly as on Windows. */
#define USER_PROBE_ADDRESS  0x00007FFFFFFF0000ULL
#define USER_STACK_SIZE     0x10000
/* the last page below the canonical hole, mapped only to plant a syscall
 * whose return address (RCX) is the first non-canonical address */
#define USER_LAST_PAGE_VA   0x00007FFFFFFFF000ULL
/* a user page nothing maps: Ring 3 on a shadow space must find it not
 * present (the test-hooks build's test=leak_shadow maps kernel data there) */
#define USER_CANARY_VA      0x000000007FFD0000ULL

/* NTSTATUS values returned to Ring 3. */
#define STATUS_SUCCESS                 0x00000000
#define STATUS_ACCESS_VIOLATION        0xC0000005
#define STATUS_INVALID_PARAMETER       0xC000000D
#define STATUS_INVALID_SYSTEM_SERVICE  0xC000001C
/* ours: an exception path's handler saw an event it did not expect */
#define STATUS_EXCEPTION_CHECK         0xE0000001

/* System-service numbers: EAX bits 12-13 pick the table, bits 0-11 the index. */
#define SVC_TABLE_SHIFT   12
#define SVC_TABLE_MASK    0x3
#define SVC_INDEX_MASK    0xFFF
#define SVC_TABLES        2     /* native and win32k-style */

/* Every system service, the one list: X(constant, number, routine, nargs).
 * The kernel's tables (kernel/services.c) are built from it - routine
 * svc_<routine> at index number & SVC_INDEX_MASK of table number >>
 * SVC_TABLE_SHIFT - and it defines constant = number and constant_NARGS. */
#define NATIVE_SERVICES_X(X) \
	X(SVC_NULL,         0x0000, null,         0)  /* the benchmark services: */ \
	X(SVC_ARGS4,        0x0001, args4,        4)  /* each returns a checksum */ \
	X(SVC_ARGS8,        0x0002, args8,        8)  /* of its arguments */ \
	X(SVC_ARGS16,       0x0003, args16,      16) \
	X(SVC_PRINT,        0x0004, print,        3)  /* (buf, len, where) -> STATUS_* */ \
	X(SVC_EXIT,         0x0005, exit,         1)  /* (code): does not return */ \
	X(SVC_SELECT_PATH,  0x0006, select_path,  2)  /* (index, mitigations) -> STATUS_*; PATH_NONE */ \
	X(SVC_SET_RECOVERY, 0x0007, set_recovery, 2)  /* (rip, rsp): 0 disarms */ \
	X(SVC_EXC_RESET,    0x0008, exc_reset,    0)  /* undo an exception path's work */ \
	X(SVC_OUTPUT_CRC,   0x0009, output_crc,   0)  /* -> OUTPUT_CRC_VALID | CRC-32 */ \
	X(SVC_COUNTERS,     0x000A, counters,     0)  /* shared page's snap <- TSC, */ \
	                                              /* APERF, MPERF, SMI count */ \
	X(SVC_SERVICE_COST, 0x000B, service_cost, 2)  /* (number, rt_call *) -> */ \
	                                              /* SERVICE_COST_VALID | ticks */
#define WIN32K_SERVICES_X(X) \
	X(SVC_W32_NULL,     0x1000, null,         0)  /* table 1: win32k-style */ \
	X(SVC_W32_ARGS4,    0x1001, args4,        4)
#define SVC_ENUMERATE(constant, number, routine, nargs) \
	constant = number, constant##_NARGS = nargs,
enum { NATIVE_SERVICES_X(SVC_ENUMERATE) WIN32K_SERVICES_X(SVC_ENUMERATE) };
#define SVC_COUNT_ONE(...) + 1
#define SVC_NATIVE_COUNT  (0 NATIVE_SERVICES_X(SVC_COUNT_ONE))
#define SVC_W32_COUNT     (0 WIN32K_SERVICES_X(SVC_COUNT_ONE))

/* SVC_SELECT_PATH's index that means: back to the kernel's own address
 * space and the boot-time gates */
#define PATH_NONE         0xFFFFFFFFu
/* SVC_OUTPUT_CRC: the CRC-32 of every byte sent to serial since the
 * capture's first line (the trailer's), with bit 32 set: no NTSTATUS has it */
#define OUTPUT_CRC_VALID  0x100000000ULL
/* SVC_SERVICE_COST: a BENCH_SERVICES routine's own cost in Ring 0, its
 * median over SERVICE_COST_SAMPLES calls minus a bare call/ret's, with bit
 * 32 set (an NTSTATUS never has it) */
#define SERVICE_COST_VALID   0x100000000ULL
#define SERVICE_COST_SAMPLES 63

/* The services every path is measured on, in CSV order: X(name, constant),
 * the argument count being constant_NARGS. The name is the CSV `service`
 * column and what services= takes (bit i of its mask: entry i). */
#define BENCH_SERVICES(X) \
	X(null, SVC_NULL) \
	X(args4, SVC_ARGS4) \
	X(args8, SVC_ARGS8) \
	X(args16, SVC_ARGS16) \
	X(win32k_null, SVC_W32_NULL)
#define BENCH_SERVICE_COUNT (0 BENCH_SERVICES(SVC_COUNT_ONE))

/* SVC_PRINT destinations */
#define PRINT_SERIAL  1
#define PRINT_SCREEN  2

/* The CSV format version and the capture's first line (bench/csv.h has the
 * contract). Version 2: the trailer's crc32 covers every line before it. */
#define CSV_VERSION     2
#define CSV_FIRST_LINE  "# ringtrip csv=2\n"

/* Exit codes written to QEMU's isa-debug-exit (QEMU exits with 2*code+1). */
#define EXIT_OK          0
#define EXIT_SELFTEST    1
#define EXIT_PANIC       2
#define EXIT_SETUP       3

#define ISA_DEBUG_EXIT_PORT 0xF4
#define BOCHS_SHUTDOWN_PORT 0x8900
#define COM1_PORT           0x3F8

#endif
