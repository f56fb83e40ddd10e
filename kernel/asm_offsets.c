/*
 * asm_offsets.c - never linked. The build compiles it to assembly and turns
 * every "->NAME value" marker into "%define NAME value" in
 * build/gen/asm_offsets.inc, so NASM sees the C layouts and constants
 * (FreeBSD's genassym, ReactOS's ksamd64.inc) instead of a second copy.
 */
#include <stddef.h>
#include "abi.h"
#include "fred.h"
#include "idt.h"
#include "kstacks.h"
#include "paths.h"
#include "percpu.h"
#include "trapframe.h"
#include "shared_page.h"
#include "ssdt.h"
#include "mitig.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"((long)(val)))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(type, member))

void asm_offsets(void);
void asm_offsets(void)
{
	/* struct trap_frame: [rsp + TF_x] once PUSH_GPRS is done */
	OFFSET(TF_R15, struct trap_frame, r15);
	OFFSET(TF_R11, struct trap_frame, r11);
	OFFSET(TF_R10, struct trap_frame, r10);
	OFFSET(TF_R9, struct trap_frame, r9);
	OFFSET(TF_R8, struct trap_frame, r8);
	OFFSET(TF_RDX, struct trap_frame, rdx);
	OFFSET(TF_RCX, struct trap_frame, rcx);
	OFFSET(TF_RAX, struct trap_frame, rax);
	OFFSET(TF_VECTOR, struct trap_frame, vector);
	OFFSET(TF_ERROR, struct trap_frame, error_code);
	OFFSET(TF_RIP, struct trap_frame, rip);
	OFFSET(TF_CS, struct trap_frame, cs);
	OFFSET(TF_RFLAGS, struct trap_frame, rflags);
	OFFSET(TF_RSP, struct trap_frame, rsp);
	OFFSET(TF_SS, struct trap_frame, ss);
	DEFINE(TF_SIZE, sizeof(struct trap_frame));

	/* struct iret_frame: what the CPU pushes and iretq pops, [rsp + IRET_x]
	 * with RSP at its RIP slot */
	OFFSET(IRET_RIP, struct iret_frame, rip);
	OFFSET(IRET_CS, struct iret_frame, cs);
	OFFSET(IRET_RFLAGS, struct iret_frame, rflags);
	OFFSET(IRET_RSP, struct iret_frame, rsp);
	OFFSET(IRET_SS, struct iret_frame, ss);
	DEFINE(IRET_SIZE, sizeof(struct iret_frame));

	/* struct callgate_frame: what a far call through a call gate pushes */
	OFFSET(CALLGATE_RIP, struct callgate_frame, rip);
	OFFSET(CALLGATE_CS, struct callgate_frame, cs);
	OFFSET(CALLGATE_RSP, struct callgate_frame, rsp);
	OFFSET(CALLGATE_SS, struct callgate_frame, ss);
	DEFINE(CALLGATE_SIZE, sizeof(struct callgate_frame));

	OFFSET(PCPU_SELF, struct percpu, self);
	OFFSET(PCPU_KERNEL_RSP, struct percpu, kernel_rsp);
	OFFSET(PCPU_USER_RSP, struct percpu, user_rsp);
	OFFSET(PCPU_KERNEL_CR3, struct percpu, kernel_cr3);
	OFFSET(PCPU_USER_CR3, struct percpu, user_cr3);
	OFFSET(PCPU_IRET_FALLBACKS, struct percpu, iret_fallbacks);
	OFFSET(PCPU_ENTRY_RSP, struct percpu, entry_rsp);
	OFFSET(PCPU_SCRATCH, struct percpu, scratch);
	OFFSET(PCPU_SMAP, struct percpu, smap);
	OFFSET(PCPU_FRED, struct percpu, fred);

	OFFSET(CALL_NUMBER, struct rt_call, number);
	OFFSET(CALL_ARG, struct rt_call, arg);
	OFFSET(CALL_RSP, struct rt_call, rsp);
	OFFSET(CALL_PMC, struct rt_call, pmc);
	OFFSET(CALL_BATCH, struct rt_call, batch);
	DEFINE(CALL_NARGS, sizeof(((struct rt_call *)0)->arg) / sizeof(uint64_t));

	DEFINE(SEL_KCODE, SEL_KCODE);
	DEFINE(SEL_KDATA, SEL_KDATA);
	DEFINE(SEL_UCODE32, SEL_UCODE32);
	DEFINE(SEL_UDATA, SEL_UDATA);
	DEFINE(SEL_UCODE64, SEL_UCODE64);
	DEFINE(SEL_TSS, SEL_TSS);
	DEFINE(RPL3, RPL3);
	DEFINE(MSR_EFER, MSR_EFER);
	DEFINE(EFER_LME, EFER_LME);
	DEFINE(KERNEL_VMA, KERNEL_VMA);
	DEFINE(VEC_CONTROL, VEC_CONTROL);
	DEFINE(SVC_SET_RECOVERY, SVC_SET_RECOVERY);
	DEFINE(TF_VECTOR_SYSCALL, TF_VECTOR_SYSCALL);
	DEFINE(TF_VECTOR_SYSENTER, TF_VECTOR_SYSENTER);
	DEFINE(TF_VECTOR_CALLGATE, TF_VECTOR_CALLGATE);
	DEFINE(VEC_INT2E, VEC_INT2E);
	DEFINE(VEC_TRAPGATE, VEC_TRAPGATE);
	DEFINE(SEL_CALLGATE, SEL_CALLGATE);
	DEFINE(VEC_DPL0_PROBE, VEC_DPL0_PROBE);
	DEFINE(USER_PF_VA, USER_PF_VA);
	DEFINE(STATUS_ACCESS_VIOLATION, STATUS_ACCESS_VIOLATION);
	DEFINE(HOME_AREA_SIZE, HOME_AREA_SIZE);
	DEFINE(USER_STACK_ARGS_OFFSET, USER_STACK_ARGS_OFFSET);
	DEFINE(KSTACK_BOOT_TOP, KSTACK_TOP_OFFSET(KSTACK_BOOT));

	/* struct path_desc and its struct exc_expect: entry/path.inc emits
	 * each path's descriptor field by field at these offsets */
	OFFSET(PD_NAME, struct path_desc, name);
	OFFSET(PD_COUNTERPART, struct path_desc, counterpart);
	OFFSET(PD_ENTRY, struct path_desc, entry);
	OFFSET(PD_INVOKE, struct path_desc, invoke);
	OFFSET(PD_BASELINE, struct path_desc, baseline);
	OFFSET(PD_CALL, struct path_desc, call);
	OFFSET(PD_INVOKE_PMC, struct path_desc, invoke_pmc);
	OFFSET(PD_BASELINE_PMC, struct path_desc, baseline_pmc);
	OFFSET(PD_INVOKE_LF, struct path_desc, invoke_lf);
	OFFSET(PD_BASELINE_LF, struct path_desc, baseline_lf);
	OFFSET(PD_INVOKE_CPUID, struct path_desc, invoke_cpuid);
	OFFSET(PD_BASELINE_CPUID, struct path_desc, baseline_cpuid);
	OFFSET(PD_FLAGS, struct path_desc, flags);
	OFFSET(PD_RESET, struct path_desc, reset);
	OFFSET(PD_INSTALL, struct path_desc, install);
	OFFSET(PD_SPACE, struct path_desc, space);
	OFFSET(PD_VECTOR, struct path_desc, vector);
	OFFSET(PD_GATE_TYPE, struct path_desc, gate_type);
	OFFSET(PD_IST, struct path_desc, ist);
	OFFSET(PD_PD_FLAGS, struct path_desc, pd_flags);
	OFFSET(PD_EXPECT, struct path_desc, expect);
	DEFINE(PD_SIZE, sizeof(struct path_desc));
	OFFSET(EXC_ERROR, struct exc_expect, error);
	OFFSET(EXC_TCG_ERROR, struct exc_expect, tcg_error);
	OFFSET(EXC_VECTOR, struct exc_expect, vector);
	OFFSET(EXC_HAS_ERROR, struct exc_expect, has_error);
	OFFSET(EXC_LEN, struct exc_expect, len);
	OFFSET(EXC_TRAP, struct exc_expect, trap);
	OFFSET(EXC_MAP_PAGE, struct exc_expect, map_page);
	OFFSET(EXC_INSN, struct exc_expect, insn);
	DEFINE(EXC_INSN_MAX, sizeof(((struct exc_expect *)0)->insn));
	DEFINE(INSTALL_LSTAR, INSTALL_LSTAR);
	DEFINE(INSTALL_IDT, INSTALL_IDT);
	DEFINE(INSTALL_SYSENTER, INSTALL_SYSENTER);
	DEFINE(INSTALL_CALLGATE, INSTALL_CALLGATE);
	DEFINE(INSTALL_EXCEPTION, INSTALL_EXCEPTION);
	DEFINE(INSTALL_FRED, INSTALL_FRED);
	DEFINE(INSTALL_FRED_EXCEPTION, INSTALL_FRED_EXCEPTION);
	DEFINE(SPACE_FULL, SPACE_FULL);
	DEFINE(SPACE_SHADOW, SPACE_SHADOW);
	DEFINE(SPACE_SHADOW_PCID, SPACE_SHADOW_PCID);
	DEFINE(PD_DEFAULT, PD_DEFAULT);
	DEFINE(PATH_SYSRET_EXIT, PATH_SYSRET_EXIT);
	DEFINE(GATE_INTERRUPT, GATE_INTERRUPT);
	DEFINE(GATE_TRAP, GATE_TRAP);
	DEFINE(IST_SERVICE, IST_SERVICE);
	DEFINE(SVC_EXC_RESET, SVC_EXC_RESET);

	/* FRED (kernel/fred.h): the entry pages of entry/fred_entry.inc read
	 * the event word - the high half of the frame's SS slot - at
	 * [rsp + TF_SS + FRED_EVENT_WORD] once the registers are pushed */
	DEFINE(FRED_FRAME_SIZE, FRED_FRAME_SIZE);
	OFFSET(FRED_EVENT_DATA, struct fred_frame, event_data);
	DEFINE(FRED_EVENT_WORD, FRED_SS_EVENT_SHIFT / 8);
	DEFINE(FRED_HOT_MASK, FRED_HOT_MASK);
	DEFINE(FRED_TYPE_HWEXC, FRED_TYPE_HWEXC);
	DEFINE(FRED_TYPE_SWINT, FRED_TYPE_SWINT);
	DEFINE(FRED_TYPE_SWEXC, FRED_TYPE_SWEXC);
	DEFINE(FRED_TYPE_OTHER, FRED_TYPE_OTHER);
	DEFINE(FRED_OTHER_SYSCALL, FRED_OTHER_SYSCALL);
	DEFINE(FRED_EV_64BIT, FRED_EV_64BIT);
	DEFINE(FRED_EXIT_ERETU, FRED_EXIT_ERETU);
	DEFINE(PATH_FRED, PATH_FRED);

	/* the dispatcher (kernel/ssdt_call.asm): the descriptor slots and the
	 * service-number fields */
	OFFSET(SD_BASE, struct service_descriptor, base);
	OFFSET(SD_LIMIT, struct service_descriptor, limit);
	DEFINE(SD_SHIFT, SSDT_SLOT_SHIFT);
	DEFINE(SVC_TABLE_SHIFT, SVC_TABLE_SHIFT);
	DEFINE(SVC_TABLE_MASK, SVC_TABLE_MASK);
	DEFINE(SVC_INDEX_MASK, SVC_INDEX_MASK);
	DEFINE(USER_PROBE_ADDRESS, USER_PROBE_ADDRESS);
	DEFINE(STATUS_INVALID_SYSTEM_SERVICE, STATUS_INVALID_SYSTEM_SERVICE);

	/* the entry mitigations (entry/mitig.inc, kernel/mitig.c): the
	 * toggles' numbers, the per-CPU values their sequences read, the
	 * records the templates emit */
#define MITIG_ID_(e, name, label) DEFINE(MITIG_ID_##name, e);
	MITIG_X(MITIG_ID_)
	OFFSET(PCPU_SPEC_CTRL_KERNEL, struct percpu, spec_ctrl_kernel);
	OFFSET(PCPU_SPEC_CTRL_USER, struct percpu, spec_ctrl_user);
	OFFSET(PCPU_KERNEL_MXCSR, struct percpu, kernel_mxcsr);
	OFFSET(PCPU_USER_MXCSR, struct percpu, user_mxcsr);
	DEFINE(MSR_IA32_SPEC_CTRL, MSR_IA32_SPEC_CTRL);
	DEFINE(MSR_IA32_PRED_CMD, MSR_IA32_PRED_CMD);
	DEFINE(PRED_CMD_IBPB, PRED_CMD_IBPB);
	DEFINE(MSITE_ENTRY, MSITE_ENTRY);
	DEFINE(MSITE_EXIT, MSITE_EXIT);
	DEFINE(MSITE_SLOW, MSITE_SLOW);
	OFFSET(MSITE_START, struct mitig_site, start);
	OFFSET(MSITE_END, struct mitig_site, end);
	OFFSET(MSITE_TOGGLE, struct mitig_site, toggle);
	OFFSET(MSITE_FLAGS, struct mitig_site, flags);
	OFFSET(MSITE_INSNS, struct mitig_site, insns);
	DEFINE(MSITE_SIZE, sizeof(struct mitig_site));
	OFFSET(MTMPL_ENTRY, struct mitig_template, entry);
	OFFSET(MTMPL_START, struct mitig_template, start);
	OFFSET(MTMPL_END, struct mitig_template, end);
	DEFINE(MTMPL_SIZE, sizeof(struct mitig_template));
	DEFINE(MITIG_AREA_SIZE, MITIG_AREA_SIZE);
}
