/*
 * A minimal 9P2000.L client over one virtio-9p device. Messages are
 * size[4] type[1] tag[2] body, little endian; strings are len[2] bytes.
 * One request at a time, so every request uses tag 1 and the same two buffers.
 */
#include "cloudcover.h"

enum {
    Rlerror = 7,
    Tlopen = 12, Tlcreate = 14, Tgetattr = 24, Treaddir = 40, Tfsync = 50, Trenameat = 74, Tunlinkat = 76,
    Tversion = 100, Tattach = 104, Twalk = 110, Tread = 116, Twrite = 118, Tclunk = 120,
};

#define NOTAG 0xffff
#define NOFID 0xffffffffu
#define HDR 7                               /* size + type + tag */
#define BUF (P9_MSIZE + 4096)

static u8 tx[BUF] __attribute__((aligned(64)));
static u8 rx[BUF] __attribute__((aligned(64)));
static u32 txlen;
static u32 rxpos, rxlen;                    /* parse position and length of the reply */
static int rxbad;                           /* the reply ran short */

/* ---- building a request ---- */
static void put8(u8 v) { if (txlen < BUF) tx[txlen++] = v; }
static void put16(u16 v) { put8((u8)v); put8((u8)(v >> 8)); }
static void put32(u32 v) { put16((u16)v); put16((u16)(v >> 16)); }
static void put64(u64 v) { put32((u32)v); put32((u32)(v >> 32)); }
static void putstr(const char *s)
{
    u16 n = (u16)str_len(s);
    put16(n);
    for (u16 i = 0; i < n; i++)
        put8((u8)s[i]);
}
static void begin(u8 type, u16 tag)
{
    txlen = 0;
    put32(0);                               /* size, patched by rpc() */
    put8(type);
    put16(tag);
}

/* ---- reading a reply ---- */
static u8 get8(void) { if (rxpos + 1 > rxlen) { rxbad = 1; return 0; } return rx[rxpos++]; }
static u16 get16(void) { u16 v = get8(); return (u16)(v | (get8() << 8)); }
static u32 get32(void) { u32 v = get16(); return v | ((u32)get16() << 16); }
static u64 get64(void) { u64 v = get32(); return v | ((u64)get32() << 32); }
static void skip(u32 n) { if (rxpos + n > rxlen) rxbad = 1; else rxpos += n; }

/* Sends the request built in tx; on success the reply body is ready for get*(). */
static int rpc(struct p9 *c)
{
    u8 type = tx[4];
    u32 cap = c->msize < BUF ? c->msize : BUF;
    tx[0] = (u8)txlen; tx[1] = (u8)(txlen >> 8); tx[2] = (u8)(txlen >> 16); tx[3] = (u8)(txlen >> 24);
    u32 got = virtio_call(c->dev, tx, txlen, rx, cap);
    if (got == 0)
        return P9_ENOREPLY;
    rxlen = got;
    rxpos = 0;
    rxbad = 0;
    u32 size = get32();
    u8 rtype = get8();
    (void)get16();                          /* tag */
    if (rxbad || size < HDR || size > got)
        return P9_EBADREPLY;
    rxlen = size;
    if (rtype == Rlerror) {
        u32 ecode = get32();
        return rxbad || ecode == 0 ? P9_EBADREPLY : -(int)ecode;
    }
    return rtype == type + 1 ? 0 : P9_EBADREPLY;
}

static int done(void)
{
    return rxbad ? P9_EBADREPLY : 0;
}

u32 p9_iosize(const struct p9 *c)
{
    return c->msize - P9_IOHDRSZ;
}

int p9_connect(struct p9 *c, struct virtio_dev *dev, u32 *root)
{
    int err;
    c->dev = dev;
    c->msize = P9_MSIZE;
    c->next_fid = 1;

    begin(Tversion, NOTAG);
    put32(P9_MSIZE);
    putstr("9P2000.L");
    if ((err = rpc(c)))
        return err;
    u32 msize = get32();
    u16 vlen = get16();
    if (rxbad || vlen != 8 || memcmp(rx + rxpos, "9P2000.L", 8) != 0)
        return P9_EBADREPLY;                /* the server does not speak 9P2000.L */
    if (msize < 4096 || msize > P9_MSIZE)
        return P9_EBADREPLY;
    c->msize = msize;                       /* a smaller msize from the server wins */

    *root = c->next_fid++;
    begin(Tattach, 1);
    put32(*root);
    put32(NOFID);                           /* no authentication */
    putstr("");                             /* uname */
    putstr("");                             /* aname: the share's root */
    put32(0);                               /* n_uname */
    if ((err = rpc(c)))
        return err;
    skip(13);                               /* qid */
    return done();
}

int p9_walk(struct p9 *c, u32 fid, const char *name, u32 *newfid)
{
    int err;
    u32 nfid = c->next_fid++;
    begin(Twalk, 1);
    put32(fid);
    put32(nfid);
    put16(name ? 1 : 0);
    if (name)
        putstr(name);
    if ((err = rpc(c)))
        return err;
    u16 nwqid = get16();
    if (rxbad || nwqid != (name ? 1 : 0))
        return rxbad ? P9_EBADREPLY : -2;   /* a partial walk: ENOENT */
    *newfid = nfid;
    return 0;
}

int p9_lopen(struct p9 *c, u32 fid, u32 flags)
{
    int err;
    begin(Tlopen, 1);
    put32(fid);
    put32(flags);
    if ((err = rpc(c)))
        return err;
    skip(13 + 4);                           /* qid, iounit */
    return done();
}

int p9_lcreate(struct p9 *c, u32 dirfid, const char *name, u32 flags, u32 mode)
{
    int err;
    begin(Tlcreate, 1);
    put32(dirfid);
    putstr(name);
    put32(flags);
    put32(mode);
    put32(0);                               /* gid */
    if ((err = rpc(c)))
        return err;
    skip(13 + 4);
    return done();
}

int p9_getattr(struct p9 *c, u32 fid, u32 *mode, u64 *size)
{
    int err;
    begin(Tgetattr, 1);
    put32(fid);
    put64(0x000007ffull);                   /* P9_GETATTR_BASIC */
    if ((err = rpc(c)))
        return err;
    skip(8 + 13);                           /* valid, qid */
    *mode = get32();
    skip(4 + 4 + 8 + 8);                    /* uid, gid, nlink, rdev */
    *size = get64();
    return done();
}

int p9_readdir(struct p9 *c, u32 fid, u64 offset, const u8 **data, u32 *len)
{
    int err;
    begin(Treaddir, 1);
    put32(fid);
    put64(offset);
    put32(p9_iosize(c));
    if ((err = rpc(c)))
        return err;
    *len = get32();
    *data = rx + rxpos;
    skip(*len);
    return done();
}

int p9_read(struct p9 *c, u32 fid, u64 offset, u32 count, const u8 **data, u32 *len)
{
    int err;
    begin(Tread, 1);
    put32(fid);
    put64(offset);
    put32(count < p9_iosize(c) ? count : p9_iosize(c));
    if ((err = rpc(c)))
        return err;
    *len = get32();
    *data = rx + rxpos;
    skip(*len);
    return done();
}

int p9_write(struct p9 *c, u32 fid, u64 offset, const void *data, u32 count, u32 *written)
{
    int err;
    if (count > p9_iosize(c))
        count = p9_iosize(c);
    begin(Twrite, 1);
    put32(fid);
    put64(offset);
    put32(count);
    for (u32 i = 0; i < count; i++)
        put8(((const u8 *)data)[i]);
    if ((err = rpc(c)))
        return err;
    *written = get32();
    return done();
}

int p9_fsync(struct p9 *c, u32 fid)
{
    begin(Tfsync, 1);
    put32(fid);
    put32(0);                               /* datasync: 0 = data and metadata */
    return rpc(c);
}

int p9_renameat(struct p9 *c, u32 olddir, const char *oldname, u32 newdir, const char *newname)
{
    begin(Trenameat, 1);
    put32(olddir);
    putstr(oldname);
    put32(newdir);
    putstr(newname);
    return rpc(c);
}

int p9_unlinkat(struct p9 *c, u32 dirfid, const char *name)
{
    begin(Tunlinkat, 1);
    put32(dirfid);
    putstr(name);
    put32(0);                               /* flags: a file, not a directory */
    return rpc(c);
}

int p9_clunk(struct p9 *c, u32 fid)
{
    begin(Tclunk, 1);
    put32(fid);
    return rpc(c);
}

void p9_check(int err, const char *op, const char *what)
{
    if (!err)
        return;
    con_puts(PROG ": error: 9p ");
    con_puts(op);
    con_puts(" failed: ");
    if (err == P9_ENOREPLY) {
        con_puts("no reply from the device");
    } else if (err == P9_EBADREPLY) {
        con_puts("malformed reply");
    } else {
        con_puts("errno ");
        put_u64((u64)-err);
    }
    if (what) {
        con_puts(" (");
        con_puts(what);
        con_puts(")");
    }
    con_puts("\n");
    cc_exit(EXIT_9P);
}
