/* A multiboot kernel that jumps into the local APIC's MMIO page, where KVM cannot fetch code: qemu reports
   "KVM internal error. Suberror: 1" and keeps the VM stopped in state internal-error, as Unikraft hits on nested KVM.
   Build: gcc -m32 -nostdlib -static -no-pie -T link.ld -o mmio.elf mmio.S */
    .section .multiboot, "a"
    .align 4
    .long 0x1badb002
    .long 0
    .long -0x1badb002
    .text
    .globl _start
_start:
    mov $0xfee00000, %eax
    jmp *%eax
