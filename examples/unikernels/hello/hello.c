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

void hello_main(void)
{
    static char word[MAX_LINE];
    const char *p;
    u64 seconds = 0, code = 0;
    int has_message = 0;

    cmd_line(line, MAX_LINE);
    for (p = line; cmd_next_word(&p, word, MAX_LINE);) {
        if (cmd_starts_with(word, "message=")) {
            const char *v = word + 8;
            int i = 0;
            while (v[i] && i < MAX_LINE - 1) {
                message[i] = v[i];
                i++;
            }
            message[i] = 0;
            has_message = 1;
        } else if (cmd_starts_with(word, "seconds=")) {
            seconds = cmd_parse_u(word + 8);
        } else if (cmd_starts_with(word, "exit=")) {
            code = cmd_parse_u(word + 5) & 0xff;
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
                put_u64(k);
                puts_("\n");
                k++;
                next += hz;
            } else {
                plat_wait(next);    /* sleep: an idle guest must not burn a host core */
            }
        }
    }

    puts_("orchide hello: exit ");
    put_u64(code);
    puts_("\n");
    plat_exit((int)code);
}
