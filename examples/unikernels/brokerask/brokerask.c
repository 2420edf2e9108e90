/*
 * The Orchide brokerask unikernel: asks the node's device broker for one thing (a
 * reading, a capture, a reconfiguration) through the request directory the agent
 * shares with a granted guest as the 9p tag "orchide-broker", prints the answer and,
 * when it has an output share, writes it there.
 *
 * The protocol (docs/operations.md, "The request directory"): write the request under
 * req/ID.tmp, rename it to req/ID.json; the broker answers at resp/ID.json by the same
 * write-then-rename; read the answer and remove it. ID must be unique among the guests
 * of one app or pipeline (they share the directory): it is "ask-" and the time-stamp
 * counter in hex, unless id= says otherwise.
 *
 * Arguments (space separated, key=value):
 *   verb=V         read (default), capture or configure
 *   device=NAME    the device (default "camera-1")
 *   dataset=NAME   for a capture: the dataset the frame goes to
 *   set=K:V        for a configure: one desired property (repeatable, up to 8)
 *   id=ID          the request's id (default ask-<tsc>)
 *   tag=TAG        the broker share's tag (default "orchide-broker")
 *   out=TAG        an output share: the answer is also written there as answer.json
 *   wait=S         seconds to wait for the answer (default 30)
 *
 * Exit codes: 0 allowed, 5 refused (the answer says why), 3 no broker share, 4 virtio/9p
 * error, 6 no answer in time, 2 bad arguments.
 */
#include "../cloudcover/cloudcover.h"

#define MAX_LINE 1024
#define MAX_REQ 2048
#define MAX_ANSWER 16384
#define MAX_SETS 8
#define EXIT_ARGS 2
#define EXIT_REFUSED 5
#define EXIT_NO_ANSWER 6
#define ANSWER_FILE "answer.json"

static char line[MAX_LINE];
static char tag[VIRTIO_TAG_MAX] = "orchide-broker";
static char out_tag[VIRTIO_TAG_MAX];
static char verb[32] = "read";
static char device[128] = "camera-1";
static char dataset[128];
static char id[72];
static char sets[MAX_SETS][128];
static int nsets;
static u64 wait_s = 30;
static struct virtio_dev devs[VIRTIO_MAX_DEVS];
static char req[MAX_REQ];
static char answer[MAX_ANSWER + 1];

/* ---- text ---- */

static usize at;                            /* length of req */

static void add(const char *s)
{
    while (*s && at < MAX_REQ - 1)
        req[at++] = *s++;
    req[at] = 0;
}

/* A JSON string of s: only names and values of [A-Za-z0-9_.:-] pass, so nothing needs escaping. */
static void add_string(const char *s)
{
    for (const char *p = s; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '_' || ch == '.' || ch == '-' || ch == ':';
        if (!ok)
            die(EXIT_ARGS, "argument \"", s, "\" may hold only letters, digits, '_', '.', '-' and ':'");
    }
    add("\"");
    add(s);
    add("\"");
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

/* ---- arguments ---- */

static void parse_args(void)
{
    static char word[MAX_LINE];
    const char *p;
    cmd_line(line, MAX_LINE);
    for (p = line; cmd_next_word(&p, word, MAX_LINE);) {
        if (cmd_starts_with(word, "verb="))
            str_copy(verb, word + 5, sizeof verb);
        else if (cmd_starts_with(word, "device="))
            str_copy(device, word + 7, sizeof device);
        else if (cmd_starts_with(word, "dataset="))
            str_copy(dataset, word + 8, sizeof dataset);
        else if (cmd_starts_with(word, "id="))
            str_copy(id, word + 3, 65);
        else if (cmd_starts_with(word, "tag="))
            str_copy(tag, word + 4, sizeof tag);
        else if (cmd_starts_with(word, "out="))
            str_copy(out_tag, word + 4, sizeof out_tag);
        else if (cmd_starts_with(word, "wait="))
            wait_s = cmd_parse_u(word + 5);
        else if (cmd_starts_with(word, "set=")) {
            if (nsets == MAX_SETS)
                die(EXIT_ARGS, "more than 8 set= arguments", 0, 0);
            str_copy(sets[nsets++], word + 4, sizeof sets[0]);
        }
    }
}

static void build_request(void)
{
    add("{\"id\": ");
    add_string(id);
    add(", \"verb\": ");
    add_string(verb);
    add(", \"device\": ");
    add_string(device);
    if (dataset[0]) {
        add(", \"dataset\": ");
        add_string(dataset);
    }
    if (nsets) {
        add(", \"properties\": {");
        for (int i = 0; i < nsets; i++) {
            char *colon = sets[i];
            while (*colon && *colon != ':')
                colon++;
            if (!*colon)
                die(EXIT_ARGS, "set=", sets[i], " must be NAME:VALUE");
            *colon = 0;
            if (i)
                add(", ");
            add_string(sets[i]);
            add(": ");
            add_string(colon + 1);
        }
        add("}");
    }
    add("}\n");
    if (at >= MAX_REQ - 1)
        die(EXIT_ARGS, "the request is too long", 0, 0);
}

/* ---- 9p ---- */

static struct virtio_dev *find_device(int n, const char *want, int required)
{
    for (int i = 0; i < n; i++)
        if (str_cmp(devs[i].tag, want) == 0) {
            if (virtio_start(&devs[i]) != 0)
                die(EXIT_9P, "cannot set up the virtqueue of 9p device ", want, 0);
            return &devs[i];
        }
    if (required)
        die(EXIT_MISSING, "no broker: no virtio-9p device with mount tag \"", want, "\" (no grant names this workload)");
    return 0;
}

/* Creates (or truncates) name in the directory dir and writes text to it, fsync'd. */
static void write_file(struct p9 *c, u32 dir, const char *name, const char *text, usize len)
{
    u32 fid, written;
    u64 offset = 0;
    p9_check(p9_walk(c, dir, 0, &fid), "Twalk", name);
    p9_check(p9_lcreate(c, fid, name, P9_O_WRONLY | P9_O_CREAT | P9_O_TRUNC, 0600), "Tlcreate", name);
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

void brokerask_main(void)
{
    struct p9 b, o;
    u32 root, reqdir, respdir, out_root;
    static char tmp_name[80], json_name[80];

    plat_clock_init();
    parse_args();
    if (!id[0]) {
        str_copy(id, "ask-", sizeof id);
        hex(id + 4, plat_ticks());
    }
    build_request();
    con_puts(PROG ": cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    struct virtio_dev *dev = find_device(n, tag, 1);
    struct virtio_dev *dout = out_tag[0] ? find_device(n, out_tag, 1) : 0;

    p9_check(p9_connect(&b, dev, &root), "Tversion/Tattach", tag);
    p9_check(p9_walk(&b, root, "req", &reqdir), "Twalk", "req");
    p9_check(p9_walk(&b, root, "resp", &respdir), "Twalk", "resp");
    str_copy(tmp_name, id, sizeof tmp_name);
    str_copy(tmp_name + str_len(tmp_name), ".tmp", 5);
    str_copy(json_name, id, sizeof json_name);
    str_copy(json_name + str_len(json_name), ".json", 6);

    /* never half a request under its .json name: the broker takes a request as soon as that name appears */
    write_file(&b, reqdir, tmp_name, req, at);
    p9_check(p9_renameat(&b, reqdir, tmp_name, reqdir, json_name), "Trenameat", json_name);
    con_puts(PROG ": asked ");
    con_puts(req);
    take_answer(&b, respdir, json_name);
    con_puts(PROG ": answer ");
    con_puts(answer);
    if (answer[0] && answer[str_len(answer) - 1] != '\n')
        con_puts("\n");

    if (dout) {
        p9_check(p9_connect(&o, dout, &out_root), "Tversion/Tattach", out_tag);
        write_file(&o, out_root, ANSWER_FILE, answer, str_len(answer));
    }
    cc_exit(contains(answer, "\"ok\":true") ? EXIT_OK : EXIT_REFUSED);
}
