#include "common.h"

#define S_IFMT 0170000
#define S_IFREG 0100000

static void pick(struct scene *s, u32 root, const char *tag)
{
    u32 dir, len;
    u64 offset = 0;
    const u8 *data;
    char name[NAME_MAX];

    p9_check(p9_walk(s->c, root, 0, &dir), "Twalk", tag);
    p9_check(p9_lopen(s->c, dir, P9_O_RDONLY), "Tlopen", tag);
    s->name[0] = 0;
    for (;;) {
        p9_check(p9_readdir(s->c, dir, offset, &data, &len), "Treaddir", tag);
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
            if (!s->name[0] || str_cmp(name, s->name) < 0)
                str_copy(s->name, name, NAME_MAX);
        }
        if (offset == before)
            p9_check(P9_EBADREPLY, "Treaddir", tag);     /* no progress: do not loop forever */
    }
    p9_check(p9_clunk(s->c, dir), "Tclunk", tag);
    if (!s->name[0])
        die(EXIT_MISSING, "no regular file in the input directory (mount tag \"", tag, "\")");
}

void scene_open(struct scene *s, struct p9 *c, struct virtio_dev *dev, const char *tag)
{
    u32 root, mode;
    u64 size;

    s->c = c;
    p9_check(p9_connect(c, dev, &root), "Tversion/Tattach", tag);
    pick(s, root, tag);
    p9_check(p9_walk(c, root, s->name, &s->fid), "Twalk", s->name);
    p9_check(p9_getattr(c, s->fid, &mode, &size), "Tgetattr", s->name);
    if ((mode & S_IFMT) != S_IFREG)
        die(EXIT_MISSING, s->name, " is not a regular file", 0);
    p9_check(p9_lopen(c, s->fid, P9_O_RDONLY), "Tlopen", s->name);
    s->offset = 0;
    s->buf = 0;
    s->pos = s->len = 0;
    s->eof = 0;
}

void scene_close(struct scene *s)
{
    p9_check(p9_clunk(s->c, s->fid), "Tclunk", s->name);
}

int scene_fill(struct scene *s)
{
    if (s->eof)
        return 0;
    p9_check(p9_read(s->c, s->fid, s->offset, p9_iosize(s->c), &s->buf, &s->len), "Tread", s->name);
    s->offset += s->len;
    s->pos = 0;
    if (s->len == 0)
        s->eof = 1;
    return s->len != 0;
}

void scene_bad(const struct scene *s, const char *problem)
{
    die(EXIT_BAD_INPUT, s->name, ": not a valid binary PGM: ", problem);
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/*
 * A header number: skips whitespace and # comments, reads decimal digits, and checks that
 * whitespace or a comment follows (after maxval: exactly one whitespace byte, then the pixels).
 */
static u64 header_number(struct scene *s, const char *what, int last)
{
    u64 v = 0;
    int b;
    for (;;) {
        b = scene_peekbyte(s);
        if (b == '#') {
            while (b != '\n' && b != '\r' && b != -1)
                b = scene_getbyte(s);
        } else if (is_space(b)) {
            scene_getbyte(s);
        } else {
            break;
        }
    }
    if (b < '0' || b > '9')
        scene_bad(s, what);
    while (b >= '0' && b <= '9') {
        v = v * 10 + (u64)(scene_getbyte(s) - '0');
        if (v > 1000000)
            scene_bad(s, what);
        b = scene_peekbyte(s);
    }
    if (last ? !is_space(scene_getbyte(s)) : !(is_space(b) || b == '#'))
        scene_bad(s, what);
    return v;
}

u64 pgm_header(struct scene *s, u64 *width, u64 *height)
{
    if (scene_getbyte(s) != 'P' || scene_getbyte(s) != '5')
        scene_bad(s, "it does not start with \"P5\"");
    *width = header_number(s, "bad width", 0);
    *height = header_number(s, "bad height", 0);
    u64 maxval = header_number(s, "bad maxval (or no single whitespace byte after it)", 1);
    if (*width == 0 || *height == 0)
        scene_bad(s, "zero width or height");
    if (maxval == 0 || maxval > 255)
        scene_bad(s, "maxval must be 1 to 255 (16-bit samples are not supported)");
    return maxval;
}
