#include "common.h"

struct virtio_dev *share_device(struct virtio_dev *devs, int n, const char *tag, const char *missing, const char *why)
{
    for (int i = 0; i < n; i++)
        if (str_cmp(devs[i].tag, tag) == 0) {
            if (virtio_start(&devs[i]) != 0)
                die(EXIT_9P, "cannot set up the virtqueue of 9p device ", tag, 0);
            return &devs[i];
        }
    die(EXIT_MISSING, missing, tag, why);
}

void write_file(struct p9 *c, u32 dir, const char *name, const char *text, usize len, u32 mode)
{
    u32 fid, written;
    u64 offset = 0;
    p9_check(p9_walk(c, dir, 0, &fid), "Twalk", name);
    p9_check(p9_lcreate(c, fid, name, P9_O_WRONLY | P9_O_CREAT | P9_O_TRUNC, mode), "Tlcreate", name);
    while (offset < len) {
        p9_check(p9_write(c, fid, offset, text + offset, (u32)(len - offset), &written), "Twrite", name);
        if (written == 0)
            p9_check(P9_EBADREPLY, "Twrite", name);
        offset += written;
    }
    p9_check(p9_fsync(c, fid), "Tfsync", name);
    p9_check(p9_clunk(c, fid), "Tclunk", name);
}
