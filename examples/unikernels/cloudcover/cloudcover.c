/*
 * The Orchide cloudcover unikernel, a pipeline step: reads the first file of its
 * input share (a binary PGM scene), counts the pixels at or above a brightness
 * threshold, and writes the percentage to cover.txt in its output share.
 *
 * Arguments (space separated, key=value):
 *   in=TAG         mount tag of the input share (default "scene")
 *   out=TAG        mount tag of the output share (default "out")
 *   threshold=N    a pixel is cloud when its value is >= N (default 200)
 *
 * Exit codes: 0 done, 2 not a valid P5 PGM, 3 missing device or input file, 4 virtio/9p error.
 */
#include "cloudcover.h"

#define MAX_LINE 1024
#define NAME_MAX 256
#define OUTPUT_FILE "cover.txt"
#define S_IFMT 0170000
#define S_IFREG 0100000

static char line[MAX_LINE];
static char in_tag[VIRTIO_TAG_MAX] = "scene";
static char out_tag[VIRTIO_TAG_MAX] = "out";
static u64 threshold = 200;
static char scene[NAME_MAX];                /* the input file's name */
static struct virtio_dev devs[VIRTIO_MAX_DEVS];

/* ---- command line (cmdline.c of the hello kernel) ---- */

static void parse_args(void)
{
    static char word[MAX_LINE];
    const char *p;
    cmd_line(line, MAX_LINE);
    for (p = line; cmd_next_word(&p, word, MAX_LINE);) {
        if (cmd_starts_with(word, "in="))
            str_copy(in_tag, word + 3, sizeof in_tag);
        else if (cmd_starts_with(word, "out="))
            str_copy(out_tag, word + 4, sizeof out_tag);
        else if (cmd_starts_with(word, "threshold="))
            threshold = cmd_parse_u(word + 10);
    }
}

/* ---- devices ---- */

static struct virtio_dev *device(int n, const char *tag)
{
    for (int i = 0; i < n; i++)
        if (str_cmp(devs[i].tag, tag) == 0) {
            if (virtio_start(&devs[i]) != 0)
                die(EXIT_9P, "cannot set up the virtqueue of 9p device ", tag, 0);
            return &devs[i];
        }
    die(EXIT_MISSING, "no virtio-9p device with mount tag \"", tag, "\"");
}

/* ---- input: the first regular, non-hidden file by name ---- */

static void pick_scene(struct p9 *c, u32 root)
{
    u32 dir;
    u64 offset = 0;
    const u8 *data;
    u32 len;
    char name[NAME_MAX];

    p9_check(p9_walk(c, root, 0, &dir), "Twalk", in_tag);
    p9_check(p9_lopen(c, dir, P9_O_RDONLY), "Tlopen", in_tag);
    scene[0] = 0;
    for (;;) {
        p9_check(p9_readdir(c, dir, offset, &data, &len), "Treaddir", in_tag);
        if (len == 0)
            break;
        u64 before = offset;
        /* entries: qid[13] offset[8] type[1] name[s] */
        for (u32 pos = 0; pos + 24 <= len;) {
            const u8 *e = data + pos;
            u64 next = 0;
            for (int i = 7; i >= 0; i--)
                next = (next << 8) | e[13 + i];
            u8 type = e[21];
            u16 nlen = (u16)(e[22] | (e[23] << 8));
            if (pos + 24 + nlen > len)
                break;
            pos += 24u + nlen;
            offset = next;
            if (nlen == 0 || nlen >= NAME_MAX || e[24] == '.')
                continue;                   /* hidden, ".", ".." */
            if (type != P9_DT_REG && type != P9_DT_UNKNOWN)
                continue;
            memcpy(name, e + 24, nlen);
            name[nlen] = 0;
            if (!scene[0] || str_cmp(name, scene) < 0)
                str_copy(scene, name, NAME_MAX);
        }
        if (offset == before)
            p9_check(P9_EBADREPLY, "Treaddir", in_tag);     /* no progress: do not loop forever */
    }
    p9_check(p9_clunk(c, dir), "Tclunk", in_tag);
    if (!scene[0])
        die(EXIT_MISSING, "no regular file in the input directory (mount tag \"", in_tag, "\")");
}

/* Writes v in decimal at p, NUL-terminated; returns the position of the NUL. */
static char *format_u(char *p, u64 v)
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

/* ---- streaming reader over Tread ---- */

struct reader {
    struct p9 *c;
    u32 fid;
    u64 offset;
    const u8 *buf;
    u32 pos, len;
    int eof;
};

static int fill(struct reader *r)
{
    if (r->eof)
        return 0;
    p9_check(p9_read(r->c, r->fid, r->offset, p9_iosize(r->c), &r->buf, &r->len), "Tread", scene);
    r->offset += r->len;
    r->pos = 0;
    if (r->len == 0)
        r->eof = 1;
    return r->len != 0;
}

/* The next byte without consuming it; -1 at the end of the file. */
static int peekbyte(struct reader *r)
{
    if (r->pos == r->len && !fill(r))
        return -1;
    return r->buf[r->pos];
}

static int getbyte(struct reader *r)
{
    int b = peekbyte(r);
    if (b >= 0)
        r->pos++;
    return b;
}

static void bad(const char *problem)
{
    die(EXIT_BAD_INPUT, scene, ": not a valid binary PGM: ", problem);
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/*
 * A header number: skips whitespace and # comments, reads decimal digits, and checks that
 * whitespace or a comment follows (after maxval: exactly one whitespace byte, then the pixels).
 */
static u64 header_number(struct reader *r, const char *what, int last)
{
    u64 v = 0;
    int b;
    for (;;) {
        b = peekbyte(r);
        if (b == '#') {
            while (b != '\n' && b != '\r' && b != -1)
                b = getbyte(r);
        } else if (is_space(b)) {
            getbyte(r);
        } else {
            break;
        }
    }
    if (b < '0' || b > '9')
        bad(what);
    while (b >= '0' && b <= '9') {
        v = v * 10 + (u64)(getbyte(r) - '0');
        if (v > 1000000)
            bad(what);
        b = peekbyte(r);
    }
    if (last ? !is_space(getbyte(r)) : !(is_space(b) || b == '#'))
        bad(what);
    return v;
}

/* Counts the pixels >= threshold; dies with EXIT_BAD_INPUT on a malformed file. */
static void scan(struct reader *r, u64 *width, u64 *height, u64 *bright)
{
    if (getbyte(r) != 'P' || getbyte(r) != '5')
        bad("it does not start with \"P5\"");
    *width = header_number(r, "bad width", 0);
    *height = header_number(r, "bad height", 0);
    u64 maxval = header_number(r, "bad maxval (or no single whitespace byte after it)", 1);
    if (*width == 0 || *height == 0)
        bad("zero width or height");
    if (maxval == 0 || maxval > 255)
        bad("maxval must be 1 to 255 (16-bit samples are not supported)");

    u64 total = *width * *height, left = total, count = 0;
    u32 t = (u32)threshold;
    while (left) {
        if (r->pos == r->len && !fill(r)) {
            static char msg[96];
            char *p = format_u(msg, total - left);
            str_copy(p, " of ", 8);
            p = format_u(p + 4, total);
            str_copy(p, " pixel bytes (truncated)", 32);
            bad(msg);
        }
        u32 n = r->len - r->pos;
        if (n > left)
            n = (u32)left;
        const u8 *p = r->buf + r->pos;
        for (u32 i = 0; i < n; i++)
            count += p[i] >= t;
        r->pos += n;
        left -= n;
    }
    *bright = count;
}

/* ---- output ---- */

static void write_result(struct p9 *c, u32 root, const char *text)
{
    u32 fid, written;
    u64 offset = 0;
    u32 len = (u32)str_len(text);
    p9_check(p9_walk(c, root, 0, &fid), "Twalk", out_tag);
    p9_check(p9_lcreate(c, fid, OUTPUT_FILE, P9_O_WRONLY | P9_O_CREAT | P9_O_TRUNC, 0644), "Tlcreate", OUTPUT_FILE);
    while (offset < len) {
        p9_check(p9_write(c, fid, offset, text + offset, len - (u32)offset, &written), "Twrite", OUTPUT_FILE);
        if (written == 0)
            p9_check(P9_EBADREPLY, "Twrite", OUTPUT_FILE);
        offset += written;
    }
    p9_check(p9_fsync(c, fid), "Tfsync", OUTPUT_FILE);
    p9_check(p9_clunk(c, fid), "Tclunk", OUTPUT_FILE);
}

void cloudcover_main(void)
{
    struct p9 in, out;
    u32 in_root, out_root, fid, mode;
    u64 size, width, height, bright;
    static char text[32];

    parse_args();
    con_puts("cloudcover: cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    struct virtio_dev *din = device(n, in_tag);
    struct virtio_dev *dout = device(n, out_tag);

    /* read and measure the scene */
    p9_check(p9_connect(&in, din, &in_root), "Tversion/Tattach", in_tag);
    pick_scene(&in, in_root);
    p9_check(p9_walk(&in, in_root, scene, &fid), "Twalk", scene);
    p9_check(p9_getattr(&in, fid, &mode, &size), "Tgetattr", scene);
    if ((mode & S_IFMT) != S_IFREG)
        die(EXIT_MISSING, scene, " is not a regular file", 0);
    p9_check(p9_lopen(&in, fid, P9_O_RDONLY), "Tlopen", scene);
    struct reader r = { .c = &in, .fid = fid };
    scan(&r, &width, &height, &bright);
    p9_check(p9_clunk(&in, fid), "Tclunk", scene);

    /* write the result; nothing is written for an invalid scene */
    u64 percent = bright * 100 / (width * height);
    char *p = format_u(text, percent);
    p[0] = '\n';
    p[1] = 0;
    p9_check(p9_connect(&out, dout, &out_root), "Tversion/Tattach", out_tag);
    write_result(&out, out_root, text);

    con_puts("cloudcover: ");
    con_puts(scene);
    con_puts(" ");
    put_u64(width);
    con_puts("x");
    put_u64(height);
    con_puts(" cover=");
    put_u64(percent);
    con_puts("%\n");
    cc_exit(EXIT_OK);
}
