/*
 * x86_64 platform of the hello kernel: COM1 serial console, multiboot command
 * line, TSC clock calibrated against the PIT, ACPI power button and power off,
 * and isa-debug-exit for non-zero exit codes.
 */
#include "../hello.h"

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4        /* -device isa-debug-exit,iobase=0xf4,iosize=0x04 */
#define MB_BOOT_MAGIC 0x2BADB002

extern u32 mb_magic, mb_info;
static u64 tsc_hz;
static u16 pm_base;            /* ACPI PM1 event block I/O base, 0 when unknown */
u32 lapic_version;

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
}

u64 plat_ticks(void) { return rdtsc(); }

u64 plat_ticks_per_second(void) { return tsc_hz; }

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
