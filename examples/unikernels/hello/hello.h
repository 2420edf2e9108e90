/*
 * The Orchide hello unikernel: what each platform provides to the common code.
 * Freestanding: no libc, no headers outside this directory.
 */
#ifndef ORCHIDE_HELLO_H
#define ORCHIDE_HELLO_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* Writes one character to the console (serial port / UART). */
void plat_putc(char c);

/* The command line as the monitor hands it over (QEMU prefixes the kernel path), NUL-terminated. */
const char *plat_cmdline(void);

/* Prepares the clock and the timer interrupt; called once before plat_ticks when the kernel needs time. */
void plat_clock_init(void);

/* A monotonic counter and its frequency in Hz. */
u64 plat_ticks(void);
u64 plat_ticks_per_second(void);

/*
 * Sleeps (hlt / wfi) until plat_ticks() reaches deadline or the next timer wakeup, whichever comes
 * first; wakeups come at least every 10 ms, so callers poll plat_stop_requested after each return.
 * May return early; without a working timer interrupt it returns at once (busy polling).
 */
void plat_wait(u64 deadline);

/* Non-zero once the monitor asked the guest to power down (ACPI power button / GPIO key). */
int plat_stop_requested(void);

/* Ends the virtual machine so that the monitor reports code; never returns. */
void plat_exit(int code) __attribute__((noreturn));

/* Command-line words and decimal output (cmdline.c), shared by the repository's kernels. */

/* Copies the command line, less the kernel path QEMU puts first, into out (at most max - 1 characters). */
void cmd_line(char *out, int max);

/* Copies the next word of *p into out (quotes removed), advancing *p; 0 when there is none left. */
int cmd_next_word(const char **p, char *out, int max);

int cmd_starts_with(const char *s, const char *prefix);

/* The decimal number at the start of s; it stops growing past 10^9. */
u64 cmd_parse_u(const char *s);

/* Writes v in decimal at p (at most 20 digits), NUL-terminated; returns the position of the NUL. */
char *format_u(char *p, u64 v);

/* Writes v in decimal to the console. */
void put_u64(u64 v);

/* The common program. */
void hello_main(void) __attribute__((noreturn));

#endif
