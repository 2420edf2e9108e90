/*
 * The Orchide hello unikernel, common part: parses the command line, prints the
 * message, ticks once a second for the requested time, and exits with the
 * requested code.
 *
 * Arguments (space separated, key=value; a value may be quoted: message="two words"):
 *   message=TEXT   printed on its own line (default "hello, world")
 *   seconds=N      run N seconds, printing "tick K" once a second
 *   exit=N         exit code (default 0)
 */
#include "hello.h"

#define MAX_LINE 1024

static char line[MAX_LINE];      /* the command line without the kernel path */
static char message[MAX_LINE];

static void puts_(const char *s)
{
    while (*s) {
        if (*s == '\n')
            plat_putc('\r');
        plat_putc(*s++);
    }
}

static void putu(u64 v)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        plat_putc(buf[--i]);
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

static u64 parse_u(const char *s)
{
    u64 v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (u64)(*s++ - '0');
    return v;
}

/*
 * Copies the next word of *p into out (quotes removed), advancing *p.
 * Returns 0 when there is no word left.
 */
static int next_word(const char **p, char *out, int max)
{
    const char *s = *p;
    int n = 0, quoted = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 0;
    while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
        if (*s == '"')
            quoted = !quoted;
        else if (n < max - 1)
            out[n++] = *s;
        s++;
    }
    out[n] = 0;
    *p = s;
    return 1;
}

/* Drops the first word (the kernel path QEMU puts in front of -append). */
static void copy_without_kernel_path(const char *raw)
{
    int n = 0;
    while (*raw && *raw != ' ')
        raw++;
    if (*raw == ' ')
        raw++;
    while (*raw && n < MAX_LINE - 1)
        line[n++] = *raw++;
    line[n] = 0;
}

void hello_main(void)
{
    static char word[MAX_LINE];
    const char *p;
    u64 seconds = 0, code = 0;
    int has_message = 0;

    copy_without_kernel_path(plat_cmdline());
    for (p = line; next_word(&p, word, MAX_LINE);) {
        if (starts_with(word, "message=")) {
            const char *v = word + 8;
            int i = 0;
            while (v[i] && i < MAX_LINE - 1) {
                message[i] = v[i];
                i++;
            }
            message[i] = 0;
            has_message = 1;
        } else if (starts_with(word, "seconds=")) {
            seconds = parse_u(word + 8);
        } else if (starts_with(word, "exit=")) {
            code = parse_u(word + 5) & 0xff;
        }
    }

    puts_("orchide hello: cmdline=");
    puts_(line);
    puts_("\n");
    puts_(has_message ? message : "hello, world");
    puts_("\n");

    if (seconds) {
        u64 hz, next;
        plat_clock_init();
        hz = plat_ticks_per_second();
        next = plat_ticks() + hz;
        for (u64 k = 1; k <= seconds;) {
            if (plat_stop_requested()) {
                puts_("orchide hello: stop requested\n");
                code = 0;
                break;
            }
            if (plat_ticks() >= next) {
                puts_("tick ");
                putu(k);
                puts_("\n");
                k++;
                next += hz;
            } else {
                plat_wait(next);    /* sleep: an idle guest must not burn a host core */
            }
        }
    }

    puts_("orchide hello: exit ");
    putu(code);
    puts_("\n");
    plat_exit((int)code);
}
