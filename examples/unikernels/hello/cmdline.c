/*
 * Command-line words and decimal output, shared by the repository's freestanding kernels (hello, cloudcover).
 */
#include "hello.h"

void cmd_line(char *out, int max)
{
    const char *raw = plat_cmdline();
    int n = 0;
    while (*raw && *raw != ' ')             /* QEMU puts the kernel path first */
        raw++;
    if (*raw == ' ')
        raw++;
    while (*raw && n < max - 1)
        out[n++] = *raw++;
    out[n] = 0;
}

int cmd_next_word(const char **p, char *out, int max)
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

int cmd_starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

u64 cmd_parse_u(const char *s)
{
    u64 v = 0;
    while (*s >= '0' && *s <= '9' && v < 1000000000ull)
        v = v * 10 + (u64)(*s++ - '0');
    return v;
}

char *format_u(char *p, u64 v)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        *p++ = buf[--i];
    *p = 0;
    return p;
}

void put_u64(u64 v)
{
    char buf[24];
    format_u(buf, v);
    for (const char *p = buf; *p; p++)
        plat_putc(*p);
}
