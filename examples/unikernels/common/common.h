/*
 * What the repository's 9p kernels (cloudcover, cloudinfer, brokerask) share beyond the cloudcover
 * kernel's PCI, virtio and 9p client: text helpers, shares and files, the PGM scene reader, and the
 * broker's request directory. Freestanding: no libc. Every failure ends the VM through die().
 */
#ifndef ORCHIDE_COMMON_H
#define ORCHIDE_COMMON_H

#include "../cloudcover/cloudcover.h"

#define NAME_MAX 256

/* ---- text.c (format_u, decimal, is the hello kernel's cmdline.c) ---- */
/* Writes v in lower-case hex at out, NUL-terminated. */
void format_hex(char *out, u64 v);
int contains(const char *s, const char *part);
/* Dies with code unless s holds only [A-Za-z0-9_.:-]: such a word goes into JSON with no escaping. */
void check_word(const char *s, int code);

/* ---- files.c ---- */
/*
 * The virtio-9p device of devs[0..n) with this mount tag, its virtqueue set up. Without one it dies
 * with EXIT_MISSING: missing, the tag, then why.
 */
struct virtio_dev *share_device(struct virtio_dev *devs, int n, const char *tag, const char *missing, const char *why);
/* Creates (or truncates) name in the directory dir with this mode and writes text to it, fsync'd. */
void write_file(struct p9 *c, u32 dir, const char *name, const char *text, usize len, u32 mode);

/* ---- scene.c: the first regular, non-hidden file of a share, read as a stream over Tread ---- */
struct scene {
    struct p9 *c;
    u32 fid;
    u64 offset;
    const u8 *buf;
    u32 pos, len;
    int eof;
    char name[NAME_MAX];        /* the file's name, which every error names */
};
/* Attaches to the share, picks its first regular, non-hidden file by name and opens it for reading. */
void scene_open(struct scene *s, struct p9 *c, struct virtio_dev *dev, const char *tag);
void scene_close(struct scene *s);
/* Reads the next chunk into buf; 0 at the end of the file. */
int scene_fill(struct scene *s);
/* Dies with EXIT_BAD_INPUT: "NAME: not a valid binary PGM: problem". */
void scene_bad(const struct scene *s, const char *problem) __attribute__((noreturn));
/* Reads a P5 header (magic, width, height, maxval and the one whitespace byte after it); returns maxval. */
u64 pgm_header(struct scene *s, u64 *width, u64 *height);

/* The next byte without consuming it; -1 at the end of the file. */
static inline int scene_peekbyte(struct scene *s)
{
    if (s->pos == s->len && !scene_fill(s))
        return -1;
    return s->buf[s->pos];
}

static inline int scene_getbyte(struct scene *s)
{
    int b = scene_peekbyte(s);
    if (b >= 0)
        s->pos++;
    return b;
}

/*
 * ---- broker.c: the request directory the agent shares with a granted guest (docs/operations.md,
 * "The request directory"): write req/ID.tmp, rename it to req/ID.json; the broker answers at
 * resp/ID.json by the same write-then-rename ----
 */
#define EXIT_NO_ANSWER 6    /* the broker did not answer in time */

struct broker {
    struct p9 p9;
    u32 reqdir, respdir;
    char json_name[80];
};
/* Attaches to the broker share and walks to its req/ and resp/ directories. */
void broker_connect(struct broker *b, struct virtio_dev *dev, const char *tag);
/*
 * Writes req/ID.tmp with this mode and renames it to req/ID.json: never half a request under its .json
 * name, the broker takes a request as soon as that name appears.
 */
void broker_send(struct broker *b, const char *id, const char *req, usize len, u32 mode);
/*
 * Waits up to wait_s seconds for the answer to the request sent, reads it into answer (at most max
 * bytes, then a NUL: answer holds max + 1) and removes it. Dies with EXIT_NO_ANSWER when none comes.
 */
void broker_take_answer(struct broker *b, u64 wait_s, char *answer, usize max);

#endif
