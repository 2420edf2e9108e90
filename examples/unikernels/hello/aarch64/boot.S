/*
 * Entry of the aarch64 hello kernel on QEMU -M virt: QEMU loads the ELF and
 * jumps here at EL1 with the MMU off. Set up a stack and clear .bss.
 */
    .section .text.boot, "ax"
    .globl _start
_start:
    ldr x0, =boot_stack_top
    mov sp, x0
    ldr x0, =__bss_start
    ldr x1, =__bss_end
1:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 1b
2:  bl hello_main
3:  wfe
    b 3b

    .section .stack, "aw", %nobits
    .align 16
boot_stack: .skip 16384
boot_stack_top:
