/*
 * solo5ask: a Solo5 guest that asks the Orchide broker one question through its mailbox, the block device
 * "orchidebroker", and prints the answer. The request is the guest's command line (a JSON object of the pull
 * protocol); without one it asks {"id": 1, "verb": "read", "device": "gnss-1"}. Exits 0 when the answer says
 * "ok":true, 1 otherwise. The mailbox's layout and ordering are in docs/operations.md ("The mailbox, for Solo5
 * guests"); this file follows them and nothing else.
 */
#include "solo5.h"

#define BLOCK 512
#define REQUEST_HEADER 0
#define REQUEST_AT BLOCK
#define MAX_REQUEST 65536
#define ANSWER_HEADER (REQUEST_AT + MAX_REQUEST)
#define ANSWER_AT (ANSWER_HEADER + BLOCK)
#define MAILBOX_SIZE (1 << 20)
#define MAX_ANSWER (MAILBOX_SIZE - ANSWER_AT)
/* how long the guest waits for its answer: the broker may make a request wait for a lease */
#define WAIT_NS (120ULL * 1000000000ULL)
#define POLL_NS 1000000ULL

static uint8_t block[BLOCK];
static uint8_t answer[MAX_ANSWER + 1];

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void puts(const char *s)
{
    solo5_console_write(s, length(s));
}

static void clear(uint8_t *b)
{
    for (int i = 0; i < BLOCK; i++)
        b[i] = 0;
}

static void put32(uint8_t *b, uint32_t v)
{
    b[0] = v & 0xff; b[1] = (v >> 8) & 0xff; b[2] = (v >> 16) & 0xff; b[3] = v >> 24;
}

static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static int magic_is(const uint8_t *b, const char *m)
{
    for (int i = 0; i < 8; i++)
        if (b[i] != (uint8_t)m[i])
            return 0;
    return 1;
}

static int contains(const uint8_t *s, size_t n, const char *w)
{
    size_t k = length(w);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && s[i + j] == (uint8_t)w[j])
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

/* The answer header's seq, read until two reads agree (a header the agent is writing is not taken). */
static int answered(solo5_handle_t h, uint32_t *seq, uint32_t *len)
{
    uint8_t first[20];
    if (solo5_block_read(h, ANSWER_HEADER, block, BLOCK) != SOLO5_R_OK)
        return -1;
    for (int i = 0; i < 20; i++)
        first[i] = block[i];
    if (solo5_block_read(h, ANSWER_HEADER, block, BLOCK) != SOLO5_R_OK)
        return -1;
    for (int i = 0; i < 20; i++)
        if (first[i] != block[i])
            return 0;
    if (!magic_is(block, "ORCHIDEA"))
        return 0;
    *seq = get32(block + 12);
    *len = get32(block + 16);
    return 1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *request = si->cmdline && si->cmdline[0] ? si->cmdline
        : "{\"id\": 1, \"verb\": \"read\", \"device\": \"gnss-1\"}";
    size_t n = length(request);
    solo5_handle_t h;
    struct solo5_block_info bi;

    if (solo5_block_acquire("orchidebroker", &h, &bi) != SOLO5_R_OK) {
        puts("solo5ask: no block device orchidebroker: no broker for this guest\n");
        return SOLO5_EXIT_FAILURE;
    }
    if (bi.block_size != BLOCK || bi.capacity < MAILBOX_SIZE) {
        puts("solo5ask: orchidebroker is not a mailbox (512-byte blocks, 1 MiB)\n");
        return SOLO5_EXIT_FAILURE;
    }
    if (n == 0 || n > MAX_REQUEST) {
        puts("solo5ask: a request is 1 to 65536 bytes\n");
        return SOLO5_EXIT_FAILURE;
    }

    /* 1. the next seq: any value but the one answered last */
    uint32_t last = 0, len = 0;
    if (answered(h, &last, &len) < 0)
        return SOLO5_EXIT_FAILURE;
    uint32_t seq = last + 1;

    /* 2. the request's blocks, then its header, last */
    for (size_t at = 0; at < n; at += BLOCK) {
        clear(block);
        for (size_t i = 0; i < BLOCK && at + i < n; i++)
            block[i] = (uint8_t)request[at + i];
        if (solo5_block_write(h, REQUEST_AT + at, block, BLOCK) != SOLO5_R_OK)
            return SOLO5_EXIT_FAILURE;
    }
    clear(block);
    for (int i = 0; i < 8; i++)
        block[i] = (uint8_t)"ORCHIDEQ"[i];
    put32(block + 8, 1);
    put32(block + 12, seq);
    put32(block + 16, (uint32_t)n);
    if (solo5_block_write(h, REQUEST_HEADER, block, BLOCK) != SOLO5_R_OK)
        return SOLO5_EXIT_FAILURE;

    /* 3. poll the answer header until it bears our seq, yielding a millisecond between reads */
    solo5_time_t give_up = solo5_clock_monotonic() + WAIT_NS;
    uint32_t got = last;
    while (answered(h, &got, &len) <= 0 || got != seq) {
        if (solo5_clock_monotonic() > give_up) {
            puts("solo5ask: no answer from the broker\n");
            return SOLO5_EXIT_FAILURE;
        }
        solo5_handle_set_t ready;
        solo5_yield(solo5_clock_monotonic() + POLL_NS, &ready);
    }

    /* 4. the answer's blocks */
    if (len > MAX_ANSWER)
        return SOLO5_EXIT_FAILURE;
    for (uint32_t at = 0; at < len; at += BLOCK) {
        if (solo5_block_read(h, ANSWER_AT + at, block, BLOCK) != SOLO5_R_OK)
            return SOLO5_EXIT_FAILURE;
        for (uint32_t i = 0; i < BLOCK && at + i < len; i++)
            answer[at + i] = block[i];
    }
    puts("solo5ask: answer: ");
    solo5_console_write((const char *)answer, len);
    puts("\n");
    return contains(answer, len, "\"ok\":true") ? SOLO5_EXIT_SUCCESS : SOLO5_EXIT_FAILURE;
}
