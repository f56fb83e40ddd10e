#ifndef RINGTRIP_QEMU_DETECT_H
#define RINGTRIP_QEMU_DETECT_H
/* 1 if this is QEMU: only under a hypervisor (CPUID.1:ECX bit 31) is
 * QEMU's fw_cfg device asked for its signature (a 16-bit write of key
 * 0x0000 to port 0x510, four byte reads of port 0x511, "QEMU"); on bare
 * metal no port is touched. Probed once, on first use. */
int qemu_detected(void);
/* 1 under QEMU's TCG, which says so in the hypervisor CPUID leaf
 * ("TCGTCGTCGTCG"); CPUID only, no port */
int running_on_tcg(void);
#endif
