/*
 * The Orchide cloudinfer unikernel, a pipeline step: reads the first file of its input
 * share (a binary PGM scene), averages it down to the 8x8 grid of brightness 0..1 that the
 * example cloud detector (examples/models/cloud-mask.onnx, input "scene" [1, 1, 8, 8])
 * takes, asks the node's broker to run that model on it (verb "infer") through the request
 * directory shared as the 9p tag "orchide-broker", and writes to its output share:
 *   input.json    the input tensor it sent: {"shape": [1, 1, 8, 8], "data": [...]}
 *   infer.json    the broker's answer as it came (the mask and the cloud fraction)
 *
 * The protocol is brokerask's (docs/operations.md, "The request directory"): the request is
 * written under req/ID.tmp and renamed to req/ID.json; the answer appears at resp/ID.json.
 *
 * No floating point: cell i holds the mean of its pixels over maxval, written with four
 * decimals by integer arithmetic (0.1234), so the kernel needs no SSE state.
 *
 * Arguments (space separated, key=value):
 *   model=NAME     the model (default "cloud-mask")
 *   in=TAG         mount tag of the input share (default "scene")
 *   out=TAG        mount tag of the output share (default "out")
 *   tag=TAG        the broker share's tag (default "orchide-broker")
 *   id=ID          the request's id (default infer-<tsc>)
 *   wait=S         seconds to wait for the answer (default 30)
 *
 * Exit codes: 0 answered, 5 refused (infer.json says why), 2 not a valid P5 PGM, 3 missing
 * device or input file, 4 virtio/9p error, 6 no answer in time.
 */
#include "../common/common.h"

#define MAX_LINE 1024
#define MAX_REQ 4096
#define MAX_ANSWER 16384
#define GRID 8
#define SCALE 10000                         /* four decimals */
#define EXIT_REFUSED 5

static char line[MAX_LINE];
static char model[128] = "cloud-mask";
static char in_tag[VIRTIO_TAG_MAX] = "scene";
static char out_tag[VIRTIO_TAG_MAX] = "out";
static char tag[VIRTIO_TAG_MAX] = "orchide-broker";
static char id[72];
static u64 wait_s = 30;
static struct virtio_dev devs[VIRTIO_MAX_DEVS];
static u64 sums[GRID * GRID], counts[GRID * GRID];
static char tensor[MAX_REQ];                /* {"shape": ..., "data": [...]} */
static char req[MAX_REQ];
static char answer[MAX_ANSWER + 1];

/* ---- text ---- */

static char *append(char *p, const char *end, const char *s)
{
    while (*s && p < end - 1)
        *p++ = *s++;
    *p = 0;
    return p;
}

static void parse_args(void)
{
    static char word[MAX_LINE];
    const char *p;
    cmd_line(line, MAX_LINE);
    for (p = line; cmd_next_word(&p, word, MAX_LINE);) {
        if (cmd_starts_with(word, "model="))
            str_copy(model, word + 6, sizeof model);
        else if (cmd_starts_with(word, "in="))
            str_copy(in_tag, word + 3, sizeof in_tag);
        else if (cmd_starts_with(word, "out="))
            str_copy(out_tag, word + 4, sizeof out_tag);
        else if (cmd_starts_with(word, "tag="))
            str_copy(tag, word + 4, sizeof tag);
        else if (cmd_starts_with(word, "id="))
            str_copy(id, word + 3, 65);
        else if (cmd_starts_with(word, "wait="))
            wait_s = cmd_parse_u(word + 5);
    }
    check_word(model, EXIT_BAD_INPUT);
    check_word(id, EXIT_BAD_INPUT);
}

/* ---- the scene, down to the model's 8x8 input ---- */

/*
 * Sums the pixels of each cell of the GRID x GRID grid: pixel (x, y) falls in cell
 * (x * GRID / width, y * GRID / height). Returns maxval; dies on a malformed file.
 */
static u64 scan(struct scene *r, u64 *width, u64 *height)
{
    u64 maxval = pgm_header(r, width, height);
    for (u64 y = 0; y < *height; y++) {
        u64 row = y * GRID / *height * GRID;
        for (u64 x = 0; x < *width; x++) {
            int b = scene_getbyte(r);
            if (b < 0)
                scene_bad(r, "fewer pixel bytes than width x height (truncated)");
            u64 cell = row + x * GRID / *width;
            sums[cell] += (u64)b;
            counts[cell]++;
        }
    }
    return maxval;
}

/* The input tensor as JSON: each cell's mean brightness over maxval, four decimals, rounded down. */
static usize build_tensor(u64 maxval)
{
    char *p = tensor, *end = tensor + MAX_REQ;
    p = append(p, end, "{\"shape\": [1, 1, 8, 8], \"data\": [");
    for (int i = 0; i < GRID * GRID; i++) {
        /* a grid finer than the scene leaves cells empty: they read as 0 */
        u64 v = counts[i] ? sums[i] * SCALE / (counts[i] * maxval) : 0;
        char num[16], *q = format_u(num, v / SCALE);
        *q++ = '.';
        u64 frac = v % SCALE;
        for (u64 d = SCALE / 10; d; d /= 10) {
            *q++ = (char)('0' + frac / d % 10);
        }
        *q = 0;
        if (i)
            p = append(p, end, ", ");
        p = append(p, end, num);
    }
    p = append(p, end, "]}");
    return (usize)(p - tensor);
}

/* Prints the cloud fraction's data list of the answer ("[0.5]"), when it has one. */
static void put_fraction(void)
{
    const char *s = answer, *key = "\"cloud_fraction\"";
    while (*s && !(memcmp(s, key, str_len(key)) == 0))
        s++;
    while (*s && *s != '[')
        s++;
    con_puts(" cloud_fraction=");
    for (; *s && *s != ']'; s++)
        plat_putc(*s);
    con_puts(*s ? "]" : "?");
}

void cloudinfer_main(void)
{
    struct p9 in, out;
    static struct scene r;
    static struct broker b;
    u32 out_root;
    u64 width, height;

    plat_clock_init();
    parse_args();
    if (!id[0]) {
        str_copy(id, "infer-", sizeof id);
        format_hex(id + 6, plat_ticks());
    }
    con_puts(PROG ": cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    const char *missing = "no virtio-9p device with mount tag \"";
    struct virtio_dev *din = share_device(devs, n, in_tag, missing, "\"");
    struct virtio_dev *dout = share_device(devs, n, out_tag, missing, "\"");
    struct virtio_dev *dbroker = share_device(devs, n, tag, missing,
            "\" (no broker: the step declares no model, no grant names it)");

    /* the scene, down to the model's 8x8 input */
    scene_open(&r, &in, din, in_tag);
    u64 maxval = scan(&r, &width, &height);
    scene_close(&r);
    usize tlen = build_tensor(maxval);

    char *p = req, *end = req + MAX_REQ;
    p = append(p, end, "{\"id\": \"");
    p = append(p, end, id);
    p = append(p, end, "\", \"verb\": \"infer\", \"model\": \"");
    p = append(p, end, model);
    p = append(p, end, "\", \"input\": ");
    p = append(p, end, tensor);
    p = append(p, end, "}\n");
    if (p >= end - 1)
        die(EXIT_BAD_INPUT, "the request is too long", 0, 0);
    broker_connect(&b, dbroker, tag);
    broker_send(&b, id, req, (usize)(p - req), 0644);
    broker_take_answer(&b, wait_s, answer, MAX_ANSWER);

    /* what it sent and what came back, for the next step */
    p9_check(p9_connect(&out, dout, &out_root), "Tversion/Tattach", out_tag);
    write_file(&out, out_root, "input.json", tensor, tlen, 0644);
    write_file(&out, out_root, "infer.json", answer, str_len(answer), 0644);

    int ok = contains(answer, "\"ok\":true") || contains(answer, "\"ok\": true");
    con_puts(PROG ": ");
    con_puts(r.name);
    con_puts(" ");
    put_u64(width);
    con_puts("x");
    put_u64(height);
    con_puts(" model=");
    con_puts(model);
    if (ok)
        put_fraction();
    else {
        con_puts(" refused ");
        con_puts(answer);
    }
    con_puts("\n");
    cc_exit(ok ? EXIT_OK : EXIT_REFUSED);
}
