/* Memory and string helpers (the compiler may call memset/memcpy itself) and the console. */
#include "cloudcover.h"

void *memset(void *d, int c, usize n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, usize n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, usize n)
{
    u8 *p = d;
    const u8 *q = s;
    if (p < q)
        return memcpy(d, s, n);
    while (n--)
        p[n] = q[n];
    return d;
}

int memcmp(const void *a, const void *b, usize n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

usize str_len(const char *s)
{
    usize n = 0;
    while (s[n])
        n++;
    return n;
}

int str_cmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (int)(u8)*a - (int)(u8)*b;
}

void str_copy(char *d, const char *s, usize max)
{
    usize i = 0;
    while (s[i] && i + 1 < max) {
        d[i] = s[i];
        i++;
    }
    d[i] = 0;
}

void con_puts(const char *s)
{
    while (*s) {
        if (*s == '\n')
            plat_putc('\r');
        plat_putc(*s++);
    }
}

void cc_exit(int code)
{
    con_puts(PROG ": exit ");
    put_u64((u64)code);
    con_puts("\n");
    plat_exit(code);
}

void die(int code, const char *a, const char *b, const char *c)
{
    con_puts(PROG ": error: ");
    if (a)
        con_puts(a);
    if (b)
        con_puts(b);
    if (c)
        con_puts(c);
    con_puts("\n");
    cc_exit(code);
}
