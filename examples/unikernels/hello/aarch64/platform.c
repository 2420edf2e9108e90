/*
 * aarch64 platform of the hello kernel on QEMU -M virt: PL011 console, command
 * line and exit through semihosting, the generic timer (its virtual timer
 * interrupt, routed through the GICv2 or GICv3, wakes the core from wfi), and
 * the GPIO power key (PL061 pin 3) that QEMU's system_powerdown pulses.
 */
#include "../hello.h"

#define UART0 0x09000000UL
#define GPIO0 0x09030000UL
#define GICD 0x08000000UL      /* distributor, GICv2 and GICv3 */
#define GICC 0x08010000UL      /* GICv2 CPU interface */
#define GICR 0x080A0000UL      /* GICv3 redistributor of CPU 0 (RD_base; SGI_base is +64 KiB) */
#define TIMER_INTID 27         /* virtual timer: PPI 11 */
#define WAKE_HZ 100            /* wfi wakes at least this often, to poll the power key */
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static char cmdline[1024];
static int timer_ok;           /* the GIC forwards the virtual timer interrupt: wfi will wake */

static inline u32 mmio_read(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write(u64 addr, u32 v) { *(volatile u32 *)addr = v; }

static u64 semihost(u64 op, void *param)
{
    register u64 x0 __asm__("x0") = op;
    register void *x1 __asm__("x1") = param;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

void plat_putc(char c)
{
    while (mmio_read(UART0 + 0x18) & (1 << 5))   /* FR.TXFF */
        ;
    mmio_write(UART0, (u8)c);
}

const char *plat_cmdline(void)
{
    u64 block[2] = { (u64)cmdline, sizeof cmdline - 1 };
    if (semihost(SYS_GET_CMDLINE, block) != 0)
        cmdline[0] = 0;
    return cmdline;
}

/*
 * Architecture revision of the GIC (2, 3 or 4) from GICD_PIDR2, 0 when unknown. The GICv2 keeps
 * it at 0xfe8 of its 4 KiB distributor, the GICv3 at 0xffe8 of its 64 KiB one (where 0xfe8 is
 * reserved, read as zero); read the GICv2 place first so as not to touch past a GICv2's frame.
 */
static u32 gic_version(void)
{
    u32 rev = (mmio_read(GICD + 0xfe8) >> 4) & 0xf;
    if (rev == 1 || rev == 2)
        return rev;
    rev = (mmio_read(GICD + 0xffe8) >> 4) & 0xf;
    return rev == 3 || rev == 4 ? rev : 0;
}

/*
 * Forwards the virtual timer interrupt to this core. PSTATE.I stays masked (as at reset), so no
 * vector table is needed: a pending interrupt still ends wfi, and it is never acknowledged at the
 * GIC; it is level-triggered and drops as soon as plat_wait moves the compare value ahead.
 */
static int gic_init(void)
{
    switch (gic_version()) {
    case 1:
    case 2:
        mmio_write(GICD + 0x400 + (TIMER_INTID & ~3), 0x80u << (8 * (TIMER_INTID & 3)) |
                   (mmio_read(GICD + 0x400 + (TIMER_INTID & ~3)) & ~(0xffu << (8 * (TIMER_INTID & 3)))));
        mmio_write(GICD + 0x100, 1u << TIMER_INTID);          /* GICD_ISENABLER0 */
        mmio_write(GICD, mmio_read(GICD) | 1);                /* GICD_CTLR: enable */
        mmio_write(GICC + 0x4, 0xff);                         /* GICC_PMR: let everything through */
        mmio_write(GICC, mmio_read(GICC) | 1);                /* GICC_CTLR: enable */
        return 1;
    case 3:
    case 4: {
        const u64 sgi = GICR + 0x10000;
        u64 sre;
        int spins = 1000000;
        /* GICD_CTLR: affinity routing, group 1 enabled (layout of a GIC without security, as on virt) */
        mmio_write(GICD, mmio_read(GICD) | (1u << 4) | (1u << 1));
        while ((mmio_read(GICD) & (1u << 31)) && --spins)      /* RWP */
            ;
        mmio_write(GICR + 0x14, mmio_read(GICR + 0x14) & ~(1u << 1));   /* GICR_WAKER.ProcessorSleep */
        while ((mmio_read(GICR + 0x14) & (1u << 2)) && --spins)          /* ChildrenAsleep */
            ;
        if (!spins)
            return 0;
        mmio_write(sgi + 0x80, mmio_read(sgi + 0x80) | (1u << TIMER_INTID));   /* GICR_IGROUPR0: group 1 */
        mmio_write(sgi + 0x400 + (TIMER_INTID & ~3), 0x80u << (8 * (TIMER_INTID & 3)) |
                   (mmio_read(sgi + 0x400 + (TIMER_INTID & ~3)) & ~(0xffu << (8 * (TIMER_INTID & 3)))));
        mmio_write(sgi + 0x100, 1u << TIMER_INTID);            /* GICR_ISENABLER0 */
        __asm__ volatile("mrs %0, S3_0_C12_C12_5" : "=r"(sre));  /* ICC_SRE_EL1 */
        __asm__ volatile("msr S3_0_C12_C12_5, %0; isb" : : "r"(sre | 1));
        __asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"((u64)0xff));   /* ICC_PMR_EL1 */
        __asm__ volatile("msr S3_0_C12_C12_7, %0; isb" : : "r"((u64)1)); /* ICC_IGRPEN1_EL1 */
        return 1;
    }
    default:
        return 0;   /* unknown interrupt controller: plat_wait busy-polls */
    }
}

void plat_clock_init(void)
{
    mmio_write(GPIO0 + 0x40c, mmio_read(GPIO0 + 0x40c) | (1 << 3));   /* GPIOIEV: rising edge on pin 3 */
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"((u64)2));  /* timer off, output masked */
    timer_ok = gic_init();
}

u64 plat_ticks(void)
{
    u64 v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

u64 plat_ticks_per_second(void)
{
    u64 v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/*
 * Arms the virtual timer for the deadline (or 1/WAKE_HZ from now, if sooner) and sleeps in wfi.
 * Writing the compare value also drops the previous, already-expired timer interrupt, so a
 * stale one cannot end the next wfi at once; one that expires before wfi makes it return at once.
 */
void plat_wait(u64 deadline)
{
    u64 cap;
    if (!timer_ok)
        return;
    cap = plat_ticks() + plat_ticks_per_second() / WAKE_HZ;
    __asm__ volatile("msr cntv_cval_el0, %0" : : "r"(deadline < cap ? deadline : cap));
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"((u64)1));   /* enabled, output unmasked */
    __asm__ volatile("dsb sy; wfi" ::: "memory");
}

int plat_stop_requested(void)
{
    /* Pin 3 high now, or a rising edge latched in GPIORIS since. */
    return (mmio_read(GPIO0 + (1 << 5)) & (1 << 3)) || (mmio_read(GPIO0 + 0x414) & (1 << 3));
}

void plat_exit(int code)
{
    u64 block[2] = { ADP_STOPPED_APPLICATION_EXIT, (u64)code };
    semihost(SYS_EXIT, block);
    for (;;)
        __asm__ volatile("wfi");
}
