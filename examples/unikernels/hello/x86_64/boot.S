/*
 * Multiboot (v1) entry for the x86_64 hello kernel. The boot loader enters in
 * 32-bit protected mode with paging off; like a real unikernel we build
 * identity page tables for the first GiB, enable PAE, long mode, paging and
 * SSE, and continue in 64-bit C.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text.boot, "ax"
    .code32
    .globl _start
_start:
    cli
    movl %eax, mb_magic
    movl %ebx, mb_info
    movl $boot_stack_top, %esp

    /* PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] -> i * 2 MiB (present, writable, huge) */
    movl $pdpt, %eax
    orl $0x3, %eax
    movl %eax, pml4
    movl $pd, %eax
    orl $0x3, %eax
    movl %eax, pdpt
    movl $pd_high, %eax
    orl $0x3, %eax
    movl %eax, pdpt + 3 * 8
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax
    movl %eax, pd(, %ecx, 8)
    /* PD_HIGH[i] -> 3 GiB + i * 2 MiB, uncached: the local APIC and other MMIO live there */
    movl %ecx, %eax
    shll $21, %eax
    orl $(0xC0000000 | 0x9B), %eax
    movl %eax, pd_high(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b

    lgdt gdt_ptr

    /* CR4: PAE | OSFXSR | OSXMMEXCPT */
    movl %cr4, %eax
    orl $((1 << 5) | (1 << 9) | (1 << 10)), %eax
    movl %eax, %cr4
    movl $pml4, %eax
    movl %eax, %cr3
    /* EFER.LME */
    movl $0xC0000080, %ecx
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    /* CR0: PG | PE | MP, clear EM */
    movl %cr0, %eax
    andl $~(1 << 2), %eax
    orl $((1 << 31) | (1 << 1) | 1), %eax
    movl %eax, %cr0
    ljmp $0x08, $long_mode

    .code64
long_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movq $boot_stack_top, %rsp
    call x86_main
2:  hlt
    jmp 2b

    /*
     * Interrupt stubs, installed in the IDT by platform.c. IRQ0 (PIT channel 0) only wakes the
     * CPU from hlt: acknowledge it at the master PIC and return. Any other IRQ vector is masked
     * at the PIC; a spurious one (IRQ7/IRQ15) must not be acknowledged, so just return.
     */
    .globl irq_timer, irq_ignore
irq_timer:
    pushq %rax
    movb $0x20, %al
    outb %al, $0x20
    popq %rax
    iretq
irq_ignore:
    iretq

    .section .rodata
    .align 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .section .data
    .globl mb_magic, mb_info
    .align 4
mb_magic: .long 0
mb_info:  .long 0

    .section .bss
    .align 4096
pml4: .skip 4096
pdpt: .skip 4096
pd:   .skip 4096
pd_high: .skip 4096
    .align 16
boot_stack: .skip 16384
boot_stack_top:
