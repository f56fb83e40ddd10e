/* qemu_detect.c - see qemu_detect.h. fw_cfg is QEMU's own device (every
 * x86 machine type, TCG and KVM, SeaBIOS and OVMF boots; docs/specs/
 * fw_cfg.rst): the selector at 0x510 takes a 16-bit key, the data port at
 * 0x511 then reads the item byte by byte, and item 0x0000 is the signature
 * "QEMU". A hypervisor's CPUID signature alone does not say QEMU: KVM,
 * Hyper-V, VMware, Xen and cloud-hypervisor/Firecracker set the same bit. */
#include "qemu_detect.h"
#include "cpu.h"
#include "../lib/string.h"

#define FW_CFG_PORT_SEL   0x510
#define FW_CFG_PORT_DATA  0x511
#define FW_CFG_SIGNATURE  0x0000

int running_on_tcg(void)
{
	static int known, tcg;
	if (!known) {
		uint32_t r[4];
		known = 1;
		if (cpu_has_hypervisor()) {
			cpuid(0x40000000, 0, r);
			tcg = !memcmp(&r[1], "TCGT", 4) && !memcmp(&r[2], "CGTC", 4) &&
			      !memcmp(&r[3], "GTCG", 4);
		}
	}
	return tcg;
}

int qemu_detected(void)
{
	static int known, qemu;
	if (!known) {
		known = 1;
		if (cpu_has_hypervisor()) {
			char sig[4];
			outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
			for (unsigned i = 0; i < sizeof sig; i++)
				sig[i] = (char)inb(FW_CFG_PORT_DATA);
			qemu = !memcmp(sig, "QEMU", sizeof sig);
		}
	}
	return qemu;
}
