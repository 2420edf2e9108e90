/*
 * The Orchide cloudcover unikernel: reads a PGM scene from one virtio-9p share
 * and writes its cloud-cover percentage to another. Freestanding: no libc.
 *
 * The boot code and the platform layer (COM1 console, command line, exit) are
 * the hello kernel's (../hello/x86_64); the Makefile renames its entry point
 * hello_main to cloudcover_main.
 */
#ifndef ORCHIDE_CLOUDCOVER_H
#define ORCHIDE_CLOUDCOVER_H

#include "../hello/hello.h"     /* u8..u64, plat_putc, plat_cmdline, plat_exit */

typedef unsigned long usize;

/* The name the console lines start with; other kernels built from these files set their own. */
#ifndef PROG
#define PROG "cloudcover"
#endif

/* Exit codes. */
#define EXIT_OK        0
#define EXIT_BAD_INPUT 2        /* the input is not a valid binary PGM */
#define EXIT_MISSING   3        /* no such 9p device, or no input file */
#define EXIT_9P        4        /* virtio or 9p failure (Rlerror, bad reply, no reply) */

/* ---- lib.c: memory, strings, console ---- */
void *memset(void *d, int c, usize n);
void *memcpy(void *d, const void *s, usize n);
void *memmove(void *d, const void *s, usize n);
int memcmp(const void *a, const void *b, usize n);
usize str_len(const char *s);
int str_cmp(const char *a, const char *b);
void str_copy(char *d, const char *s, usize max);   /* always NUL-terminates */
void con_puts(const char *s);                       /* "\n" becomes "\r\n" */
/* Prints "cloudcover: exit N" and ends the VM with code. */
void cc_exit(int code) __attribute__((noreturn));
/* Prints "cloudcover: error: " a b c and exits with code. Null parts are skipped. */
void die(int code, const char *a, const char *b, const char *c) __attribute__((noreturn));

/* ---- x86 I/O ports ---- */
static inline void outb(u16 p, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outw(u16 p, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outl(u16 p, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline u8 inb(u16 p) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline u16 inw(u16 p) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline u32 inl(u16 p) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

/* ---- pci.c: configuration mechanism #1 (ports 0xCF8/0xCFC) ---- */
struct pci_dev {
    u8 bus, dev, fn;
};
/* Finds up to max functions with this vendor:device id on buses 0..PCI_BUSES-1; returns how many. */
int pci_find(u16 vendor, u16 device, struct pci_dev *out, int max);
u32 pci_read32(const struct pci_dev *d, u8 reg);
void pci_write16(const struct pci_dev *d, u8 reg, u16 v);

/* ---- virtio.c: legacy virtio-pci over BAR0 I/O, one polled virtqueue ---- */
#define VIRTIO_MAX_DEVS 4
#define VIRTIO_TAG_MAX 64

/* The split virtqueue as the device sees it (virtio 1.0 section 2.6, legacy layout). */
struct vring_desc {
    u64 addr;
    u32 len;
    u16 flags;
    u16 next;
};
struct vring_avail {
    u16 flags;
    u16 idx;
    u16 ring[];
};
struct vring_used_elem {
    u32 id;
    u32 len;
};
struct vring_used {
    u16 flags;
    u16 idx;
    struct vring_used_elem ring[];
};

struct virtio_dev {
    struct pci_dev pci;
    u16 io;                     /* BAR0 I/O base */
    char tag[VIRTIO_TAG_MAX];   /* 9p mount tag */
    int index;                  /* which static queue memory it uses */
    u16 qsize;                  /* 0 until virtio_start */
    u16 last_used;
    volatile struct vring_desc *desc;
    volatile struct vring_avail *avail;
    volatile struct vring_used *used;
};
/* Finds the virtio-9p devices and reads their mount tags; returns how many (at most max). */
int virtio9p_find(struct virtio_dev *devs, int max);
/* Resets the device, negotiates features and sets up queue 0; returns 0 or a negative error. */
int virtio_start(struct virtio_dev *d);
/* Sends tx (device-readable), waits for the reply in rx (device-writable); returns the reply length, 0 on timeout. */
u32 virtio_call(struct virtio_dev *d, const void *tx, u32 txlen, void *rx, u32 rxcap);

/* ---- p9.c: a minimal 9P2000.L client ---- */
#define P9_MSIZE (64 * 1024)    /* what we ask for; the server may answer smaller */
#define P9_IOHDRSZ 24           /* header room of Tread/Twrite within msize */
#define P9_ENOREPLY (-100000)   /* the device did not answer */
#define P9_EBADREPLY (-100001)  /* the reply was malformed or of the wrong type */

/* Linux open flags (9P2000.L uses them as they are) */
#define P9_O_RDONLY 00
#define P9_O_WRONLY 01
#define P9_O_CREAT 0100
#define P9_O_TRUNC 01000

/* Directory entry types (Treaddir) */
#define P9_DT_UNKNOWN 0
#define P9_DT_REG 8

struct p9 {
    struct virtio_dev *dev;
    u32 msize;
    u32 next_fid;
};
/*
 * Every call returns 0 or a negative error: -errno from an Rlerror, or P9_ENOREPLY / P9_EBADREPLY.
 * Data returned by pointer (read, readdir) lies in a shared reply buffer and is valid until the next call.
 */
int p9_connect(struct p9 *c, struct virtio_dev *dev, u32 *root);      /* Tversion + Tattach */
int p9_walk(struct p9 *c, u32 fid, const char *name, u32 *newfid);   /* name 0: clone fid */
int p9_lopen(struct p9 *c, u32 fid, u32 flags);
int p9_lcreate(struct p9 *c, u32 dirfid, const char *name, u32 flags, u32 mode);  /* dirfid becomes the file */
int p9_getattr(struct p9 *c, u32 fid, u32 *mode, u64 *size);
int p9_readdir(struct p9 *c, u32 fid, u64 offset, const u8 **data, u32 *len);
int p9_read(struct p9 *c, u32 fid, u64 offset, u32 count, const u8 **data, u32 *len);
int p9_write(struct p9 *c, u32 fid, u64 offset, const void *data, u32 count, u32 *written);
int p9_fsync(struct p9 *c, u32 fid);
int p9_renameat(struct p9 *c, u32 olddir, const char *oldname, u32 newdir, const char *newname);
int p9_unlinkat(struct p9 *c, u32 dirfid, const char *name);
int p9_clunk(struct p9 *c, u32 fid);
u32 p9_iosize(const struct p9 *c);      /* largest Tread/Twrite payload */
/* Dies with EXIT_9P when err is non-zero: "9p OP failed: errno N (what)". */
void p9_check(int err, const char *op, const char *what);

#endif
