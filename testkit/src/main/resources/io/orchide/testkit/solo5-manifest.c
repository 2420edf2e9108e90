/*
 * A stand-in Solo5 image for tests: nothing runs, but it carries a manifest note laid out as
 * Solo5 0.6+ tenders read it (struct mft1_note in section .note.solo5.manifest), declaring the block
 * device "storage", with -DWITH_NET the network "service", with -DWITH_BROKER the broker's mailbox
 * "orchidebroker", and with -DABI_TARGET=<n> an ABI1 note. Solo5Images compiles it.
 * Build: gcc -nostdlib -static [-DWITH_NET] [-DWITH_BROKER] [-DABI_TARGET=<n>] -o image.elf solo5-manifest.c
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define MFT_DEV_BLOCK_BASIC 1
#define MFT_DEV_NET_BASIC 2
#define MFT_RESERVED_FIRST (1U << 30)

struct mft_entry {
    char name[68];
    u32 type;
    union {
        struct { u64 capacity; u16 block_size; } block_basic;
        struct { u8 mac[6]; u16 mtu; } net_basic;
    } u;
    union { int hostfd; void *data; } b;
    _Bool attached;
};

#ifdef WITH_NET
#define NET_ENTRIES 1
#else
#define NET_ENTRIES 0
#endif
#ifdef WITH_BROKER
#define BROKER_ENTRIES 1
#else
#define BROKER_ENTRIES 0
#endif
#define ENTRIES (2 + NET_ENTRIES + BROKER_ENTRIES)

struct mft {
    u32 version;
    u32 entries;
    struct mft_entry e[ENTRIES];
};

struct mft1_nhdr {
    u32 n_namesz;
    u32 n_descsz;
    u32 n_type;
    char n_name[8];
};

struct mft1_note {
    struct mft1_nhdr h;
    struct mft m;
};

__attribute__((used, section(".note.solo5.manifest"), aligned(4)))
const struct mft1_note solo5_manifest_note = {
    .h = {
        .n_namesz = sizeof("Solo5"),
        .n_descsz = sizeof(struct mft1_note) - sizeof(struct mft1_nhdr),
        .n_type = 0x3154464d,
        .n_name = "Solo5",
    },
    .m = {
        .version = 1,
        .entries = ENTRIES,
        .e = {
            { .name = "", .type = MFT_RESERVED_FIRST },
            { .name = "storage", .type = MFT_DEV_BLOCK_BASIC },
#ifdef WITH_NET
            { .name = "service", .type = MFT_DEV_NET_BASIC },
#endif
#ifdef WITH_BROKER
            { .name = "orchidebroker", .type = MFT_DEV_BLOCK_BASIC },
#endif
        },
    },
};

void _start(void)
{
    for (;;)
        ;
}

#ifdef ABI_TARGET
/* The ABI1 note a Solo5 binding carries (section .note.solo5.abi): 1 hvt, 2 spt, 3 virtio. */
struct abi1_note {
    struct mft1_nhdr h;
    struct { u32 target, version, reserved0, reserved1; } i;
};

__attribute__((used, section(".note.solo5.abi"), aligned(4)))
const struct abi1_note solo5_abi1_note = {
    .h = { .n_namesz = sizeof("Solo5"), .n_descsz = 16, .n_type = 0x31494241, .n_name = "Solo5" },
    .i = { .target = ABI_TARGET, .version = 1 },
};
#endif
