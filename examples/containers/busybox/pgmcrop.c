/*
 * pgmcrop: crops a binary PGM image.
 *
 *   pgmcrop X Y W H       < in.pgm > out.pgm   the window at column X, row Y, W wide and H high
 *   pgmcrop --centre PCT  < in.pgm > out.pgm   the centred window of PCT % (1..100) of the width and height
 *
 * Reads a binary PGM (P5, width and height up to 1000000, maxval 1..255, '#' comments in the header, exactly one
 * whitespace byte after maxval) on standard input, the way the cloudcover unikernel does, and writes a P5 image of
 * the window, clamped to the image, with the same maxval and one comment "# cropped from WxH at X,Y". The whole
 * input is read and checked before anything is written, so a truncated scene never yields a product. Bytes after
 * the pixels are ignored. The output depends on nothing but the input and the arguments.
 *
 * Exit codes: 0 done; 2 invalid arguments or input (one line on stderr naming the problem); 1 out of memory or a
 * read or write error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIDE 1000000UL

/* One line on stderr, then exit with code. */
static void die(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pgmcrop: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

/* A decimal argument: digits only, at most max. */
static unsigned long number_arg(const char *what, const char *s, unsigned long min, unsigned long max)
{
    unsigned long v = 0;
    if (*s == '\0')
        die(2, "%s: not a number: \"\"", what);
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            die(2, "%s: not a number: \"%s\"", what, s);
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > max)
            die(2, "%s: %s is more than %lu", what, s, max);
    }
    if (v < min)
        die(2, "%s: %s is less than %lu", what, s, min);
    return v;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void bad_input(const char *problem)
{
    die(2, "not a valid binary PGM on stdin: %s", problem);
}

static int next_byte(void)
{
    int c = getchar_unlocked();
    if (c == EOF && ferror(stdin))
        die(1, "cannot read stdin: %s", strerror(errno));
    return c;
}

/*
 * A header number: skips whitespace and comments, reads digits, and checks what follows: whitespace or a comment,
 * or after maxval (last) exactly one whitespace byte, consumed.
 */
static unsigned long header_number(const char *what, int last)
{
    int c = next_byte();
    for (;;) {
        if (c == '#') {
            while (c != '\n' && c != '\r' && c != EOF)
                c = next_byte();
        } else if (is_space(c)) {
            c = next_byte();
        } else {
            break;
        }
    }
    if (c < '0' || c > '9')
        bad_input(what);
    unsigned long v = 0;
    while (c >= '0' && c <= '9') {
        v = v * 10 + (unsigned long)(c - '0');
        if (v > MAX_SIDE)
            bad_input(what);
        c = next_byte();
    }
    if (last ? !is_space(c) : !(is_space(c) || c == '#'))
        bad_input(what);
    if (!last)
        ungetc(c, stdin);
    return v;
}

static unsigned long clamp(unsigned long v, unsigned long max)
{
    return v < max ? v : max;
}

int main(int argc, char **argv)
{
    unsigned long x = 0, y = 0, w = 0, h = 0, percent = 0;
    if (argc == 3 && (strcmp(argv[1], "--centre") == 0 || strcmp(argv[1], "--center") == 0)) {
        percent = number_arg("PERCENT", argv[2], 1, 100);
    } else if (argc == 5) {
        x = number_arg("X", argv[1], 0, MAX_SIDE);
        y = number_arg("Y", argv[2], 0, MAX_SIDE);
        w = number_arg("W", argv[3], 1, MAX_SIDE);
        h = number_arg("H", argv[4], 1, MAX_SIDE);
    } else {
        die(2, "usage: pgmcrop X Y W H | pgmcrop --centre PERCENT (a binary PGM on stdin, the window to stdout)");
    }

    if (next_byte() != 'P' || next_byte() != '5')
        bad_input("it does not start with \"P5\"");
    unsigned long width = header_number("bad width", 0);
    unsigned long height = header_number("bad height", 0);
    unsigned long maxval = header_number("bad maxval (or no single whitespace byte after it)", 1);
    if (width == 0 || height == 0)
        bad_input("zero width or height");
    if (maxval == 0 || maxval > 255)
        bad_input("maxval must be 1 to 255 (16-bit samples are not supported)");

    if (percent) {
        w = width * percent / 100;
        h = height * percent / 100;
        if (w == 0)
            w = 1;
        if (h == 0)
            h = 1;
        x = (width - w) / 2;
        y = (height - h) / 2;
    } else {
        if (x >= width || y >= height)
            die(2, "the window at %lu,%lu lies outside the %lux%lu image", x, y, width, height);
        w = clamp(w, width - x);
        h = clamp(h, height - y);
    }

    unsigned char *row = malloc(width);
    unsigned char *window = malloc(w * h);
    if (!row || !window)
        die(1, "out of memory for a window of %lu bytes", w * h);
    for (unsigned long r = 0; r < height; r++) {
        size_t got = fread(row, 1, width, stdin);
        if (got != width) {
            if (ferror(stdin))
                die(1, "cannot read stdin: %s", strerror(errno));
            die(2, "not a valid binary PGM on stdin: %lu of %lu pixel bytes (truncated)", r * width + got,
                width * height);
        }
        if (r >= y && r < y + h)
            memcpy(window + (r - y) * w, row + x, w);
    }

    printf("P5\n# cropped from %lux%lu at %lu,%lu\n%lu %lu\n%lu\n", width, height, x, y, w, h, maxval);
    if (fwrite(window, 1, w * h, stdout) != w * h || fflush(stdout) != 0 || ferror(stdout))
        die(1, "cannot write stdout: %s", strerror(errno));
    free(window);
    free(row);
    return 0;
}
