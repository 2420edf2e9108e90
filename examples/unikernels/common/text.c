#include "common.h"

void format_hex(char *out, u64 v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[17];
    int n = 0;
    do {
        tmp[n++] = digits[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        *out++ = tmp[--n];
    *out = 0;
}

int contains(const char *s, const char *part)
{
    usize n = str_len(part);
    for (; *s; s++)
        if (memcmp(s, part, n) == 0)
            return 1;
    return 0;
}

void check_word(const char *s, int code)
{
    for (const char *p = s; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '_' || ch == '.' || ch == '-' || ch == ':';
        if (!ok)
            die(code, "argument \"", s, "\" may hold only letters, digits, '_', '.', '-' and ':'");
    }
}
