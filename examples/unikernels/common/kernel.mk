# The build of the repository's 9p kernels for x86_64 (multiboot): the hello kernel's boot code and
# platform layer, the cloudcover kernel's PCI, virtio and 9p client, and what this folder shares.
# A kernel's Makefile sets PROG (its name: the platform layer's hello_main becomes PROG_main, and
# the console lines start with it) and SRC (its own sources, after the shared ones), then includes
# this file.
#   make            -> build/PROG-x86_64.elf
#   make clean

BUILD := build
HELLO := ../hello
CLOUD := ../cloudcover
COMMON := ../common
CC_X86 ?= gcc
OBJCOPY_X86 ?= objcopy

# Same flags as the hello kernel.
CFLAGS := -std=c11 -O2 -Wall -Wextra -ffreestanding -nostdlib -nostdinc -fno-builtin \
	-fno-stack-protector -fno-pic -fno-pie -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-m64 -mno-red-zone -mcmodel=small -Dhello_main=$(PROG)_main '-DPROG="$(PROG)"'
LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack

KERNEL_SRC := $(HELLO)/x86_64/boot.S $(HELLO)/x86_64/platform.c $(HELLO)/cmdline.c \
	$(CLOUD)/lib.c $(CLOUD)/pci.c $(CLOUD)/virtio.c $(CLOUD)/p9.c $(SRC)
HDR := $(CLOUD)/cloudcover.h $(HELLO)/hello.h $(COMMON)/common.h

.PHONY: all clean
all: $(BUILD)/$(PROG)-x86_64.elf

# Linked as ELF64, then converted to ELF32: QEMU's multiboot loader accepts only 32-bit ELF.
$(BUILD)/$(PROG)-x86_64.elf64: $(KERNEL_SRC) $(HDR) $(HELLO)/x86_64/link.ld $(COMMON)/kernel.mk | $(BUILD)
	$(CC_X86) $(CFLAGS) $(LDFLAGS) -Wl,-T,$(HELLO)/x86_64/link.ld -o $@ $(KERNEL_SRC)

$(BUILD)/$(PROG)-x86_64.elf: $(BUILD)/$(PROG)-x86_64.elf64
	$(OBJCOPY_X86) -O elf32-i386 $< $@

$(BUILD):
	mkdir -p $@

clean:
	rm -rf $(BUILD)
