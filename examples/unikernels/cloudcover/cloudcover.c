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
#include "../common/common.h"

#define MAX_LINE 1024
#define OUTPUT_FILE "cover.txt"

static char line[MAX_LINE];
static char in_tag[VIRTIO_TAG_MAX] = "scene";
static char out_tag[VIRTIO_TAG_MAX] = "out";
static u64 threshold = 200;
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

/* Counts the pixels >= threshold; dies with EXIT_BAD_INPUT on a malformed file. */
static void scan(struct scene *r, u64 *width, u64 *height, u64 *bright)
{
    pgm_header(r, width, height);
    u64 total = *width * *height, left = total, count = 0;
    u32 t = (u32)threshold;
    while (left) {
        if (r->pos == r->len && !scene_fill(r)) {
            static char msg[96];
            char *p = format_u(msg, total - left);
            str_copy(p, " of ", 8);
            p = format_u(p + 4, total);
            str_copy(p, " pixel bytes (truncated)", 32);
            scene_bad(r, msg);
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

void cloudcover_main(void)
{
    struct p9 in, out;
    static struct scene r;
    u32 out_root;
    u64 width, height, bright;
    static char text[32];

    parse_args();
    con_puts("cloudcover: cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    struct virtio_dev *din = share_device(devs, n, in_tag, "no virtio-9p device with mount tag \"", "\"");
    struct virtio_dev *dout = share_device(devs, n, out_tag, "no virtio-9p device with mount tag \"", "\"");

    /* read and measure the scene */
    scene_open(&r, &in, din, in_tag);
    scan(&r, &width, &height, &bright);
    scene_close(&r);

    /* write the result; nothing is written for an invalid scene */
    u64 percent = bright * 100 / (width * height);
    char *p = format_u(text, percent);
    p[0] = '\n';
    p[1] = 0;
    p9_check(p9_connect(&out, dout, &out_root), "Tversion/Tattach", out_tag);
    write_file(&out, out_root, OUTPUT_FILE, text, str_len(text), 0644);

    con_puts("cloudcover: ");
    con_puts(r.name);
    con_puts(" ");
    put_u64(width);
    con_puts("x");
    put_u64(height);
    con_puts(" cover=");
    put_u64(percent);
    con_puts("%\n");
    cc_exit(EXIT_OK);
}
