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
#include "../cloudcover/cloudcover.h"

#define MAX_LINE 1024
#define NAME_MAX 256
#define MAX_REQ 4096
#define MAX_ANSWER 16384
#define GRID 8
#define SCALE 10000                         /* four decimals */
#define EXIT_REFUSED 5
#define EXIT_NO_ANSWER 6
#define S_IFMT 0170000
#define S_IFREG 0100000

static char line[MAX_LINE];
static char model[128] = "cloud-mask";
static char in_tag[VIRTIO_TAG_MAX] = "scene";
static char out_tag[VIRTIO_TAG_MAX] = "out";
static char tag[VIRTIO_TAG_MAX] = "orchide-broker";
static char id[72];
static u64 wait_s = 30;
static char scene[NAME_MAX];
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

static void hex(char *out, u64 v)
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

static int contains(const char *s, const char *part)
{
    usize n = str_len(part);
    for (; *s; s++)
        if (memcmp(s, part, n) == 0)
            return 1;
    return 0;
}

/* Names and values go into JSON unescaped: only [A-Za-z0-9_.:-] pass. */
static void check_word(const char *s)
{
    for (const char *p = s; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '_' || ch == '.' || ch == '-' || ch == ':';
        if (!ok)
            die(EXIT_BAD_INPUT, "argument \"", s, "\" may hold only letters, digits, '_', '.', '-' and ':'");
    }
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
    check_word(model);
    check_word(id);
}

/* ---- devices ---- */

static struct virtio_dev *device(int n, const char *want, const char *why)
{
    for (int i = 0; i < n; i++)
        if (str_cmp(devs[i].tag, want) == 0) {
            if (virtio_start(&devs[i]) != 0)
                die(EXIT_9P, "cannot set up the virtqueue of 9p device ", want, 0);
            return &devs[i];
        }
    die(EXIT_MISSING, "no virtio-9p device with mount tag \"", want, why);
}

/* ---- input: the first regular, non-hidden file by name (as cloudcover) ---- */

static void pick_scene(struct p9 *c, u32 root)
{
    u32 dir, len;
    u64 offset = 0;
    const u8 *data;
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
                continue;
            if (type != P9_DT_REG && type != P9_DT_UNKNOWN)
                continue;
            memcpy(name, e + 24, nlen);
            name[nlen] = 0;
            if (!scene[0] || str_cmp(name, scene) < 0)
                str_copy(scene, name, NAME_MAX);
        }
        if (offset == before)
            p9_check(P9_EBADREPLY, "Treaddir", in_tag);
    }
    p9_check(p9_clunk(c, dir), "Tclunk", in_tag);
    if (!scene[0])
        die(EXIT_MISSING, "no regular file in the input directory (mount tag \"", in_tag, "\")");
}

/* ---- streaming PGM reader over Tread ---- */

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

/*
 * Sums the pixels of each cell of the GRID x GRID grid: pixel (x, y) falls in cell
 * (x * GRID / width, y * GRID / height). Returns maxval; dies on a malformed file.
 */
static u64 scan(struct reader *r, u64 *width, u64 *height)
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
    for (u64 y = 0; y < *height; y++) {
        u64 row = y * GRID / *height * GRID;
        for (u64 x = 0; x < *width; x++) {
            int b = getbyte(r);
            if (b < 0)
                bad("fewer pixel bytes than width x height (truncated)");
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

/* ---- files over 9p ---- */

static void write_file(struct p9 *c, u32 dir, const char *name, const char *text, usize len)
{
    u32 fid, written;
    u64 offset = 0;
    p9_check(p9_walk(c, dir, 0, &fid), "Twalk", name);
    p9_check(p9_lcreate(c, fid, name, P9_O_WRONLY | P9_O_CREAT | P9_O_TRUNC, 0644), "Tlcreate", name);
    while (offset < len) {
        p9_check(p9_write(c, fid, offset, text + offset, (u32)(len - offset), &written), "Twrite", name);
        if (written == 0)
            p9_check(P9_EBADREPLY, "Twrite", name);
        offset += written;
    }
    p9_check(p9_fsync(c, fid), "Tfsync", name);
    p9_check(p9_clunk(c, fid), "Tclunk", name);
}

/* Waits for resp/NAME (the broker renames it there whole), reads it into answer and removes it. */
static void take_answer(struct p9 *c, u32 resp, const char *name)
{
    u32 fid, mode, len;
    u64 size, offset = 0;
    const u8 *data;
    u64 deadline = plat_ticks() + wait_s * plat_ticks_per_second();
    for (;;) {
        int err = p9_walk(c, resp, name, &fid);
        if (err == 0)
            break;
        if (err != -2)
            p9_check(err, "Twalk", name);
        if (plat_ticks() >= deadline)
            die(EXIT_NO_ANSWER, "no answer from the broker at resp/", name, 0);
        plat_wait(deadline);                /* until the next timer wakeup: no busy loop */
    }
    p9_check(p9_getattr(c, fid, &mode, &size), "Tgetattr", name);
    if (size > MAX_ANSWER)
        die(EXIT_9P, "the answer in resp/", name, " is too long");
    p9_check(p9_lopen(c, fid, P9_O_RDONLY), "Tlopen", name);
    while (offset < size) {
        p9_check(p9_read(c, fid, offset, (u32)(size - offset), &data, &len), "Tread", name);
        if (len == 0)
            break;
        memcpy(answer + offset, data, len);
        offset += len;
    }
    answer[offset] = 0;
    p9_check(p9_clunk(c, fid), "Tclunk", name);
    p9_check(p9_unlinkat(c, resp, name), "Tunlinkat", name);
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
    struct p9 in, out, b;
    u32 in_root, out_root, root, reqdir, respdir, fid, mode;
    u64 size, width, height;
    static char tmp_name[80], json_name[80];

    plat_clock_init();
    parse_args();
    if (!id[0]) {
        str_copy(id, "infer-", sizeof id);
        hex(id + 6, plat_ticks());
    }
    con_puts(PROG ": cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    struct virtio_dev *din = device(n, in_tag, "\"");
    struct virtio_dev *dout = device(n, out_tag, "\"");
    struct virtio_dev *dbroker = device(n, tag, "\" (no broker: the step declares no model, no grant names it)");

    /* the scene, down to the model's 8x8 input */
    p9_check(p9_connect(&in, din, &in_root), "Tversion/Tattach", in_tag);
    pick_scene(&in, in_root);
    p9_check(p9_walk(&in, in_root, scene, &fid), "Twalk", scene);
    p9_check(p9_getattr(&in, fid, &mode, &size), "Tgetattr", scene);
    if ((mode & S_IFMT) != S_IFREG)
        die(EXIT_MISSING, scene, " is not a regular file", 0);
    p9_check(p9_lopen(&in, fid, P9_O_RDONLY), "Tlopen", scene);
    struct reader r = { .c = &in, .fid = fid };
    u64 maxval = scan(&r, &width, &height);
    p9_check(p9_clunk(&in, fid), "Tclunk", scene);
    usize tlen = build_tensor(maxval);

    /* the request: never half of it under its .json name, the broker takes it as soon as that name appears */
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
    p9_check(p9_connect(&b, dbroker, &root), "Tversion/Tattach", tag);
    p9_check(p9_walk(&b, root, "req", &reqdir), "Twalk", "req");
    p9_check(p9_walk(&b, root, "resp", &respdir), "Twalk", "resp");
    str_copy(tmp_name, id, sizeof tmp_name);
    str_copy(tmp_name + str_len(tmp_name), ".tmp", 5);
    str_copy(json_name, id, sizeof json_name);
    str_copy(json_name + str_len(json_name), ".json", 6);
    write_file(&b, reqdir, tmp_name, req, (usize)(p - req));
    p9_check(p9_renameat(&b, reqdir, tmp_name, reqdir, json_name), "Trenameat", json_name);
    take_answer(&b, respdir, json_name);

    /* what it sent and what came back, for the next step */
    p9_check(p9_connect(&out, dout, &out_root), "Tversion/Tattach", out_tag);
    write_file(&out, out_root, "input.json", tensor, tlen);
    write_file(&out, out_root, "infer.json", answer, str_len(answer));

    int ok = contains(answer, "\"ok\":true") || contains(answer, "\"ok\": true");
    con_puts(PROG ": ");
    con_puts(scene);
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
