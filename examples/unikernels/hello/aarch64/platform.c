/*
 * aarch64 platform of the hello kernel on QEMU -M virt: PL011 console, command
 * line and exit through semihosting, the generic timer, and the GPIO power key
 * (PL061 pin 3) that QEMU's system_powerdown pulses.
 */
#include "../hello.h"

#define UART0 0x09000000UL
#define GPIO0 0x09030000UL
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static char cmdline[1024];

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

void plat_clock_init(void)
{
    mmio_write(GPIO0 + 0x40c, mmio_read(GPIO0 + 0x40c) | (1 << 3));   /* GPIOIEV: rising edge on pin 3 */
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
