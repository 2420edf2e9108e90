/*
 * x86_64 platform of the hello kernel: COM1 serial console, multiboot command
 * line, TSC clock calibrated against the PIT, a 100 Hz PIT channel 0 interrupt
 * (legacy PIC, IRQ0) to sleep in hlt between polls, ACPI power button and power
 * off, and isa-debug-exit for non-zero exit codes.
 */
#include "../hello.h"

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4        /* -device isa-debug-exit,iobase=0xf4,iosize=0x04 */
#define MB_BOOT_MAGIC 0x2BADB002
#define PIT_HZ 1193182
#define WAKE_HZ 100            /* PIT channel 0 rate: hlt wakes at least this often */
#define IRQ_BASE 0x20          /* PIC vectors 0x20-0x2f, clear of the CPU exceptions */

extern u32 mb_magic, mb_info;
extern char irq_timer[], irq_ignore[];   /* boot.S */
static u64 tsc_hz;
static u16 pm_base;            /* ACPI PM1 event block I/O base, 0 when unknown */
u32 lapic_version;
static int timer_ok;           /* the IDT, PIC and PIT are set up: hlt will wake */

/* 64-bit interrupt gate */
struct idt_gate {
    u16 off_lo, sel;
    u8 ist, type;
    u16 off_mid;
    u32 off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[IRQ_BASE + 16] __attribute__((aligned(16)));

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

static u32 pci_read(u32 bus, u32 dev, u32 fn, u32 reg)
{
    outl(0xcf8, 0x80000000u | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xfc));
    u32 v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((u16)0xcfc));
    return v;
}

/*
 * Finds the ACPI PM I/O base the firmware programmed: PIIX4 PM (00:01.3, QEMU -M pc)
 * or ICH9 LPC (00:1f.0, QEMU -M q35), both keep it in config register 0x40.
 */
static u16 find_pm_base(void)
{
    if (pci_read(0, 1, 3, 0) == 0x71138086)
        return (u16)(pci_read(0, 1, 3, 0x40) & 0xffc0);
    if (pci_read(0, 0x1f, 0, 0) == 0x29188086)
        return (u16)(pci_read(0, 0x1f, 0, 0x40) & 0xff80);
    return 0;
}

void plat_putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (u8)c);
}

const char *plat_cmdline(void)
{
    const u32 *info = (const u32 *)(u64)mb_info;
    if (mb_magic != MB_BOOT_MAGIC || !(info[0] & (1 << 2)))
        return "";
    return (const char *)(u64)info[4];
}

static void set_gate(int vec, void *handler)
{
    u64 a = (u64)handler;
    idt[vec].off_lo = (u16)a;
    idt[vec].sel = 0x08;                /* 64-bit code segment of boot.S's GDT */
    idt[vec].ist = 0;
    idt[vec].type = 0x8e;               /* present, DPL 0, interrupt gate (clears IF) */
    idt[vec].off_mid = (u16)(a >> 16);
    idt[vec].off_hi = (u32)(a >> 32);
    idt[vec].zero = 0;
}

/*
 * IDT with the 16 PIC vectors (exceptions stay unhandled, as before: a fault still ends in a
 * triple fault), both PICs remapped to 0x20-0x2f with only IRQ0 unmasked, and PIT channel 0 as
 * a rate generator at WAKE_HZ. Works the same under TCG and KVM (in-kernel PIT and PIC).
 */
static void timer_init(void)
{
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (u64)idt };
    const u32 divisor = (PIT_HZ + WAKE_HZ / 2) / WAKE_HZ;

    for (int v = 0; v < 16; v++)
        set_gate(IRQ_BASE + v, v == 0 ? (void *)irq_timer : (void *)irq_ignore);
    __asm__ volatile("lidt %0" : : "m"(idtr));

    outb(0x20, 0x11);                   /* ICW1: init, ICW4 follows (edge, cascade) */
    outb(0xa0, 0x11);
    outb(0x21, IRQ_BASE);               /* ICW2: vector base */
    outb(0xa1, IRQ_BASE + 8);
    outb(0x21, 0x04);                   /* ICW3: slave on IRQ2 */
    outb(0xa1, 0x02);
    outb(0x21, 0x01);                   /* ICW4: 8086 mode */
    outb(0xa1, 0x01);
    outb(0x21, 0xfe);                   /* mask everything but IRQ0 */
    outb(0xa1, 0xff);

    outb(0x43, 0x34);                   /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
    outb(0x40, (u8)(divisor & 0xff));
    outb(0x40, (u8)(divisor >> 8));
    timer_ok = 1;
}

/* Measures the TSC over 50 ms of PIT channel 2 (mode 0, gate on, speaker off). */
void plat_clock_init(void)
{
    const u32 latch = 1193182 / 20;
    u64 t0, t1;
    outb(0x61, (u8)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0);
    outb(0x42, (u8)(latch & 0xff));
    outb(0x42, (u8)(latch >> 8));
    t0 = rdtsc();
    while (!(inb(0x61) & 0x20))
        ;
    t1 = rdtsc();
    tsc_hz = (t1 - t0) * 20;
    /* Arm the power button event so that QEMU's system_powerdown sets PWRBTN_STS. */
    if (pm_base)
        outw(pm_base + 2, 0x0100);
    timer_init();
}

u64 plat_ticks(void) { return rdtsc(); }

u64 plat_ticks_per_second(void) { return tsc_hz; }

/*
 * Interrupts stay disabled except inside this hlt: "sti; hlt" cannot lose a wakeup (sti takes
 * effect after the next instruction), and the handler only acknowledges the PIC. The clock is
 * still the TSC, so ticks stay exact however late or coalesced the wakeups are.
 */
void plat_wait(u64 deadline)
{
    (void)deadline;
    if (timer_ok)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
}

int plat_stop_requested(void)
{
    return pm_base && (inw(pm_base) & 0x0100) != 0;
}

void plat_exit(int code)
{
    /*
     * Code 0: ACPI S5 (SLP_TYP 0 | SLP_EN), QEMU exits with status 0. QEMU handles the request
     * asynchronously, so halt rather than fall through to isa-debug-exit.
     * Other codes (or no ACPI): isa-debug-exit, QEMU exits with status (code << 1) | 1.
     */
    if (code == 0 && pm_base)
        outw(pm_base + 4, 0x2000);
    else
        outl(DEBUG_EXIT, (u32)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Entered from boot.S in long mode; the loader has zeroed .bss. */
void x86_main(void)
{
    /* Touch the local APIC through MMIO, as every real kernel does when it sets up its timer. */
    lapic_version = *(volatile u32 *)0xFEE00030UL;
    pm_base = find_pm_base();
    hello_main();
}
