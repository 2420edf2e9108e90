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
#include "../common/common.h"

#define MAX_LINE 1024
#define MAX_REQ 2048
#define MAX_ANSWER 16384
#define MAX_SETS 8
#define EXIT_ARGS 2
#define EXIT_REFUSED 5
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
    check_word(s, EXIT_ARGS);
    add("\"");
    add(s);
    add("\"");
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

void brokerask_main(void)
{
    static struct broker b;
    struct p9 o;
    u32 out_root;

    plat_clock_init();
    parse_args();
    if (!id[0]) {
        str_copy(id, "ask-", sizeof id);
        format_hex(id + 4, plat_ticks());
    }
    build_request();
    con_puts(PROG ": cmdline=");
    con_puts(line);
    con_puts("\n");

    int n = virtio9p_find(devs, VIRTIO_MAX_DEVS);
    const char *missing = "no broker: no virtio-9p device with mount tag \"";
    const char *why = "\" (no grant names this workload)";
    struct virtio_dev *dev = share_device(devs, n, tag, missing, why);
    struct virtio_dev *dout = out_tag[0] ? share_device(devs, n, out_tag, missing, why) : 0;

    broker_connect(&b, dev, tag);
    broker_send(&b, id, req, at, 0600);
    con_puts(PROG ": asked ");
    con_puts(req);
    broker_take_answer(&b, wait_s, answer, MAX_ANSWER);
    con_puts(PROG ": answer ");
    con_puts(answer);
    if (answer[0] && answer[str_len(answer) - 1] != '\n')
        con_puts("\n");

    if (dout) {
        p9_check(p9_connect(&o, dout, &out_root), "Tversion/Tattach", out_tag);
        write_file(&o, out_root, ANSWER_FILE, answer, str_len(answer), 0600);
    }
    cc_exit(contains(answer, "\"ok\":true") ? EXIT_OK : EXIT_REFUSED);
}
