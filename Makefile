# ringtrip - build the kernel ISO, boot it, test it.
#   make run   [CMDLINE="iterations=1000"] [ACCEL=kvm|tcg]
#   make test
# Both install what is missing first (scripts/deps.sh).

.SECONDEXPANSION:
# a recipe that fails removes its half-written target, so the next make
# rebuilds it instead of trusting it (an empty font, a truncated object)
.DELETE_ON_ERROR:
BUILD   := build
CC      := gcc
LD      := ld
NASM    := nasm
OBJCOPY := objcopy

# Ring 0 and Ring 3 share these: freestanding, no red zone (an interrupt
# frame would land on it), no SSE/x87 state to save, no CET/PIC surprises.
CFLAGS_BASE := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib \
	-fno-stack-protector -fno-pic -fno-pie -fno-common -fno-plt \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
	-Wall -Wextra -Werror -Wmissing-prototypes -I$(BUILD)/gen
KERNEL_CFLAGS := $(CFLAGS_BASE) -mcmodel=kernel
USER_CFLAGS   := $(CFLAGS_BASE) -mcmodel=small
NASMFLAGS     := -f elf64 -g -F dwarf -I$(BUILD)/gen/ -Ikernel/ -Ientry/

KERNEL_C   := $(filter-out kernel/asm_offsets.c,$(wildcard kernel/*.c)) \
	      $(wildcard entry/*.c) $(wildcard lib/*.c)
KERNEL_ASM := $(wildcard kernel/*.asm) $(wildcard entry/*.asm)
USER_C     := $(wildcard bench/*.c) lib/fmt.c lib/string.c lib/crc32.c lib/tscfreq.c lib/mitig.c
USER_ASM   := $(wildcard bench/*.asm)

KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/k/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/k/%.o)
USER_OBJ   := $(USER_C:%.c=$(BUILD)/u/%.o) $(USER_ASM:%.asm=$(BUILD)/u/%.o)
OFFSETS    := $(BUILD)/gen/asm_offsets.inc
ELF        := $(BUILD)/ringtrip.elf
ELF_EFI    := $(BUILD)/ringtrip-efi.elf
ISO        := $(BUILD)/ringtrip.iso

.PHONY: all deps run host-run compare plot test test-bochs unit-test boot-test clean
all: $(ISO) $(BUILD)/gatedecode $(BUILD)/.deps-ok

# the host descriptor decoder: the kernel's dump= decode, from the shell
$(BUILD)/gatedecode: tools/gatedecode.c lib/desc.c lib/desc.h lib/fmt.c lib/fmt.h | $(BUILD)/.deps-ok
	@echo "  HOSTCC  $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. -o $@ tools/gatedecode.c lib/desc.c lib/fmt.c

deps $(BUILD)/.deps-ok:
	@bash scripts/deps.sh
	@mkdir -p $(BUILD) && touch $(BUILD)/.deps-ok

# genassym: C layouts and abi.h constants -> %define lines for NASM
$(OFFSETS): kernel/asm_offsets.c kernel/*.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(CC) $(KERNEL_CFLAGS) -S -o $(BUILD)/gen/asm_offsets.s $<
	@sed -n 's/.*->\([A-Za-z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' \
		$(BUILD)/gen/asm_offsets.s > $@.tmp
	@test -s $@.tmp || { echo "asm_offsets.inc came out empty" >&2; exit 1; }
	@mv $@.tmp $@

$(BUILD)/k/%.o: %.c $(OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -MP -c -o $@ $<

# the framebuffer console's font, from Debian's console-setup-linux package
CONSOLE_FONT ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT := $(BUILD)/gen/console-font.psf
$(FONT): | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@zcat $(CONSOLE_FONT) > $@
	@test -s $@ || { echo "$(CONSOLE_FONT) gave an empty font" >&2; exit 1; }

# NASM lists what each .asm includes (%include, incbin) in $@.d, read back
# by the -include at the end, so editing any .inc rebuilds every user of it.
# A separate -M pass: NASM 2.16.01's -MD, while assembling, lists only the
# .asm itself. The generated inputs stay listed: they must exist before the
# first run.
NASMDEPS = $(NASM) $(NASMFLAGS) -M -MP -MT $@ $< > $@.d
$(BUILD)/k/%.o: %.asm $(OFFSETS) $(FONT)
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASMDEPS)
	@$(NASM) $(NASMFLAGS) -o $@ $<

# Ring 3 objects: every symbol gets a u_ prefix and every section a .user
# prefix, so Ring 3 code can only call Ring 3 code (a kernel symbol would
# stay undefined) and the linker script can place it on user pages.
$(BUILD)/u/%.o: %.c $(OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  CC [R3] $<"
	@$(CC) $(USER_CFLAGS) -MMD -MP -MT $@ -MF $@.d -c -o $@.raw $<
	@$(OBJCOPY) --prefix-symbols=u_ --prefix-alloc-sections=.user $@.raw $@

$(BUILD)/u/%.o: %.asm $(OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  NASM[R3] $<"
	@$(NASMDEPS)
	@$(NASM) $(NASMFLAGS) -o $@.raw $<
	@$(OBJCOPY) --prefix-symbols=u_ --prefix-alloc-sections=.user $@.raw $@

# two kernels that differ only in the multiboot2 header: the UEFI one asks
# GRUB for a framebuffer (kernel/boot.asm, WANT_FRAMEBUFFER)
$(BUILD)/k/kernel/boot-efi.o: kernel/boot.asm $(OFFSETS)
	@echo "  NASM    $< (efi)"
	@$(NASMDEPS) -DWANT_FRAMEBUFFER
	@$(NASM) $(NASMFLAGS) -DWANT_FRAMEBUFFER -o $@ $<

LINK = $(LD) -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T kernel/linker.ld
$(ELF): $(KERNEL_OBJ) $(USER_OBJ) kernel/linker.ld
	@echo "  LD      $@"
	@$(LINK) -Map=$(BUILD)/ringtrip.map -o $@ $(KERNEL_OBJ) $(USER_OBJ)
	@grub-file --is-x86-multiboot2 $@ || { echo "$@ is not multiboot2" >&2; exit 1; }

$(ELF_EFI): $(KERNEL_OBJ) $(BUILD)/k/kernel/boot-efi.o $(USER_OBJ) kernel/linker.ld
	@echo "  LD      $@"
	@$(LINK) -o $@ $(filter-out $(BUILD)/k/kernel/boot.o,$(KERNEL_OBJ)) \
		$(BUILD)/k/kernel/boot-efi.o $(USER_OBJ)
	@grub-file --is-x86-multiboot2 $@ || { echo "$@ is not multiboot2" >&2; exit 1; }

$(ISO): $(ELF) $(ELF_EFI) grub.cfg scripts/mkiso.sh
	@echo "  ISO     $@"
	@bash scripts/mkiso.sh $@ $(ELF)

# make run: CMDLINE, ACCEL and FIRMWARE reach scripts/run.sh exactly as typed.
# Each is passed as one single-quoted shell word of the variable's
# unexpanded text ($(value), ' written '\''), so neither make ($) nor the
# shell (; ` " \ $) re-parses it, and unexported, so make does not expand it
# (a $(shell ...) included) for the recipes' environment either. A newline
# becomes a space (make would cut the recipe line there; blanks only
# separate options). RESULTS_DIR (default results/local) says where the
# captures and latest.csv go, RUN_TIMEOUT (default 1800) when QEMU is stopped.
unexport CMDLINE ACCEL FIRMWARE
define run_newline


endef
shell_word = '$(subst $(run_newline), ,$(subst ','\'',$(value $(1))))'
run: all
	@bash scripts/run.sh $(call shell_word,CMDLINE) $(call shell_word,ACCEL) $(call shell_word,FIRMWARE)

# host mode: the same harness as a Linux program, for the OS's own cost
HOST_BIN := $(BUILD)/host/ringtrip-host
HOST_C   := host/main.c host/control.c host/env.c host/perf.c \
	    bench/harness.c bench/stats.c bench/rowstats.c bench/csv.c bench/hist.c bench/machine.c \
	    bench/output.c bench/services.c bench/screen.c bench/driver.c bench/clockstep.c bench/mitig.c \
	    lib/fmt.c lib/crc32.c lib/tscfreq.c lib/options.c lib/mitig.c
$(HOST_BIN): $(HOST_C) host/stubs.asm entry/invoke.inc kernel/callee_saved.inc $(OFFSETS) $(wildcard bench/*.h lib/*.h kernel/*.h host/*.h)
	@mkdir -p $(dir $@)
	@echo "  NASM    host/stubs.asm"
	@$(NASM) -f elf64 -I$(BUILD)/gen/ -Ientry/ -Ikernel/ -o $(BUILD)/host/stubs.o host/stubs.asm
	@echo "  HOSTCC  $@"
	@$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -I$(BUILD)/gen -o $@ $(HOST_C) \
		$(BUILD)/host/stubs.o -ldl

# compare runs: make compare [FILES="a.csv b.csv ..."] [ARGS="--fail-above 5"]
COMPARE_FILES ?= results/qemu-tcg-icount.csv results/local/latest.csv
compare:
	@python3 results/compare $(if $(FILES),$(FILES),$(COMPARE_FILES)) $(ARGS)

plot:
	@python3 results/plot $(if $(FILES),$(FILES),$(COMPARE_FILES)) -o $(if $(OUT),$(OUT),results/local/plot)

host-run: $(HOST_BIN)
	@bash scripts/host-run.sh $(HOST_BIN) "$(HOSTARGS)"

# host unit tests (cmocka) of the pure C parts
include tests/unit/sources.mk
UNIT_BIN := $(UNIT_TESTS:%=$(BUILD)/tests/test_%)
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I.
$(BUILD)/tests/test_%: tests/unit/test_%.c $$(UNIT_SRC_$$*) lib/*.h bench/*.h kernel/*.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SRC_$*) -lcmocka

# the same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer:
# an out-of-bounds write or an overflow fails the test instead of passing
UNIT_SAN_BIN := $(UNIT_TESTS:%=$(BUILD)/tests-san/test_%)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/tests-san/test_%: tests/unit/test_%.c $$(UNIT_SRC_$$*) lib/*.h bench/*.h kernel/*.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@ (ASan+UBSan)"
	@$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $< $(UNIT_SRC_$*) -lcmocka

unit-test: $(UNIT_BIN) $(UNIT_SAN_BIN)
boot-test: $(ELF)

# the Intel-only parts (PCID, 64-bit SYSENTER, Intel IRET/SYSRET rules) on
# Bochs' Tiger Lake model; also part of `make test`
test-bochs: all
	@out=$$(bash tests/boot/bochs.sh 2>&1); echo "$$out"; \
	 p=$$(echo "$$out" | grep -c '^PASS '); f=$$(echo "$$out" | grep -c '^FAIL '); \
	 echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

# FRED (issue 14): Bochs' development tree, the one emulator with FRED and
# a CPU model that has it (wildcat_lake), built into build/tools/ from
# BOCHS_SRC=<dir> (a source tree or a git dir of it) or a clone where online
.PHONY: bochs-fred test-fred
bochs-fred:
	@bash scripts/bochs-fred.sh

# the suite on that Bochs' wildcat_lake model; skipped (and passing) where
# no FRED-capable Bochs is found (BOCHS_FRED=<path> or build/tools/bin/bochs)
test-fred: all
	@out=$$(bash tests/boot/fred.sh 2>&1); echo "$$out"; \
	 p=$$(echo "$$out" | grep -c '^PASS '); f=$$(echo "$$out" | grep -c '^FAIL '); \
	 echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

test: all $(UNIT_BIN) $(UNIT_SAN_BIN) $(HOST_BIN)
	@bash tests/run.sh $(UNIT_BIN) $(UNIT_SAN_BIN)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- the test-hooks kernel (issue 10) -----------------------------------------
# build/test-hooks/ringtrip.elf and its -efi twin (scripts/mkiso.sh copies
# KERNEL-efi.elf beside KERNEL.elf): the kernel compiled with
# -DRINGTRIP_TEST_HOOKS, whose test= option breaks it on purpose - a kernel
# page leaked into the shadow space, an unbounded Ring 0 recursion - for
# tests/boot/hardening.sh to prove the isolation walk, the Ring 3 probes and
# the stack guard pages catch it (kernel/test_hooks.c). Never in the default
# image or ISO. Its Ring 3 objects and NASM objects are the default build's.
TH_DIR     := $(BUILD)/test-hooks
TH_ELF     := $(TH_DIR)/ringtrip.elf
TH_ELF_EFI := $(TH_DIR)/ringtrip-efi.elf
TH_C_OBJ   := $(KERNEL_C:%.c=$(TH_DIR)/k/%.o)
TH_ASM_OBJ := $(KERNEL_ASM:%.asm=$(BUILD)/k/%.o)
.PHONY: test-hooks
test-hooks: $(TH_ELF) $(TH_ELF_EFI)
all: test-hooks

$(TH_DIR)/k/%.o: %.c $(OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  CC [TH] $<"
	@$(CC) $(KERNEL_CFLAGS) -DRINGTRIP_TEST_HOOKS -MMD -MP -c -o $@ $<

$(TH_ELF): $(TH_C_OBJ) $(TH_ASM_OBJ) $(USER_OBJ) kernel/linker.ld
	@echo "  LD      $@"
	@$(LINK) -Map=$(TH_DIR)/ringtrip.map -o $@ $(TH_C_OBJ) $(TH_ASM_OBJ) $(USER_OBJ)
	@grub-file --is-x86-multiboot2 $@ || { echo "$@ is not multiboot2" >&2; exit 1; }

$(TH_ELF_EFI): $(TH_C_OBJ) $(TH_ASM_OBJ) $(BUILD)/k/kernel/boot-efi.o $(USER_OBJ) kernel/linker.ld
	@echo "  LD      $@"
	@$(LINK) -o $@ $(TH_C_OBJ) $(filter-out $(BUILD)/k/kernel/boot.o,$(TH_ASM_OBJ)) \
		$(BUILD)/k/kernel/boot-efi.o $(USER_OBJ)
	@grub-file --is-x86-multiboot2 $@ || { echo "$@ is not multiboot2" >&2; exit 1; }
