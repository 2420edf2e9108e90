#include "common.h"

#define ENOENT 2

void broker_connect(struct broker *b, struct virtio_dev *dev, const char *tag)
{
    u32 root;
    p9_check(p9_connect(&b->p9, dev, &root), "Tversion/Tattach", tag);
    p9_check(p9_walk(&b->p9, root, "req", &b->reqdir), "Twalk", "req");
    p9_check(p9_walk(&b->p9, root, "resp", &b->respdir), "Twalk", "resp");
}

void broker_send(struct broker *b, const char *id, const char *req, usize len, u32 mode)
{
    static char tmp_name[80];
    str_copy(tmp_name, id, sizeof tmp_name);
    str_copy(tmp_name + str_len(tmp_name), ".tmp", 5);
    str_copy(b->json_name, id, sizeof b->json_name);
    str_copy(b->json_name + str_len(b->json_name), ".json", 6);
    write_file(&b->p9, b->reqdir, tmp_name, req, len, mode);
    p9_check(p9_renameat(&b->p9, b->reqdir, tmp_name, b->reqdir, b->json_name), "Trenameat", b->json_name);
}

void broker_take_answer(struct broker *b, u64 wait_s, char *answer, usize max)
{
    struct p9 *c = &b->p9;
    const char *name = b->json_name;
    u32 fid, mode, len;
    u64 size, offset = 0;
    const u8 *data;
    u64 deadline = plat_ticks() + wait_s * plat_ticks_per_second();
    for (;;) {
        int err = p9_walk(c, b->respdir, name, &fid);
        if (err == 0)
            break;
        if (err != -ENOENT)
            p9_check(err, "Twalk", name);
        if (plat_ticks() >= deadline)
            die(EXIT_NO_ANSWER, "no answer from the broker at resp/", name, 0);
        plat_wait(deadline);                /* until the next timer wakeup: no busy loop */
    }
    p9_check(p9_getattr(c, fid, &mode, &size), "Tgetattr", name);
    if (size > max)
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
    p9_check(p9_unlinkat(c, b->respdir, name), "Tunlinkat", name);
}
