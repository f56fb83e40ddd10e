/* paths.c - the path table (see paths.h) and the installers. */
#include "paths.h"
#include "../kernel/abi.h"
#include "../kernel/cpu.h"
#include "../lib/string.h"

#define STUBS(p) extern const char p##_invoke[], p##_baseline[], p##_call[]
#define STUB_FIELDS(p) .invoke = p##_invoke, .baseline = p##_baseline, .call = p##_call

STUBS(syscall);
extern const char syscall_entry[];

static void enable_syscall_msrs(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: the user32 CS that
	 * SYSRETQ adds 16 (CS) and 8 (SS) to. Windows writes 0x0023001000000000. */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 | RPL3) << 48) |
			((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_SFMASK, SFMASK_VALUE);
}

static void install_syscall(void)
{
	enable_syscall_msrs();
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
}

static const char *need_rdtscp(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000001)
		return "unsupported:no-rdtscp";
	cpuid(0x80000001, 0, r);
	return (r[3] >> 27) & 1 ? 0 : "unsupported:no-rdtscp";
}

const struct path_def path_table[] = {
	{ .name = "syscall", .flags = PATH_ENTERS_BY_SYSCALL, .unsupported = need_rdtscp,
	  .install = install_syscall, STUB_FIELDS(syscall) },
};
const unsigned path_count = sizeof path_table / sizeof path_table[0];
_Static_assert(sizeof path_table / sizeof path_table[0] <= MAX_PATHS, "MAX_PATHS");

static const char *path_status(unsigned i)
{
	const char *why = path_table[i].unsupported ? path_table[i].unsupported() : 0;
	return why ? why : "ok";
}

void paths_publish(struct rt_shared *sh)
{
	sh->npaths = path_count;
	for (unsigned i = 0; i < path_count; i++) {
		struct rt_path_view *v = &sh->path[i];
		strlcpy0(v->name, path_table[i].name, sizeof v->name);
		strlcpy0(v->status, path_status(i), sizeof v->status);
		v->flags = path_table[i].flags;
		v->invoke = (uint64_t)path_table[i].invoke;
		v->baseline = (uint64_t)path_table[i].baseline;
		v->call = (uint64_t)path_table[i].call;
	}
}

uint64_t path_select(uint64_t index)
{
	if (index >= path_count || strcmp(path_status((unsigned)index), "ok"))
		return STATUS_INVALID_PARAMETER;
	path_table[index].install();
	return STATUS_SUCCESS;
}
