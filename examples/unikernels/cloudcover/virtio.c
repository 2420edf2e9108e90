/*
 * Legacy (transitional) virtio-pci: the registers live in BAR0's I/O space, the
 * virtqueue is one physically contiguous area whose page number goes to QUEUE_PFN.
 * One queue, one request at a time, completion by polling the used ring (no
 * interrupts: the CPU runs with them disabled).
 */
#include "cloudcover.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_9P_LEGACY 0x1009

/* Legacy register offsets from BAR0 */
#define REG_DEVICE_FEATURES 0
#define REG_GUEST_FEATURES 4
#define REG_QUEUE_PFN 8
#define REG_QUEUE_SIZE 12
#define REG_QUEUE_SELECT 14
#define REG_QUEUE_NOTIFY 16
#define REG_STATUS 18
#define REG_ISR 19
#define REG_CONFIG 20           /* device config while MSI-X is off (nobody enables it here) */

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED 128

#define VIRTIO_9P_MOUNT_TAG 1   /* feature bit 0: config holds the mount tag */

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define AVAIL_F_NO_INTERRUPT 1

#define PAGE 4096
#define QUEUE_MEM (4 * PAGE)    /* room for a queue of up to 256 entries in the legacy layout */
#define POLL_LIMIT 2000000000u  /* polls before a request counts as lost */

static u8 queue_mem[VIRTIO_MAX_DEVS][QUEUE_MEM] __attribute__((aligned(PAGE)));

static usize align_up(usize v, usize a)
{
    return (v + a - 1) & ~(a - 1);
}

static void barrier(void)
{
    __asm__ volatile("" ::: "memory");   /* x86 keeps stores in order; stop the compiler reordering */
}

int virtio9p_find(struct virtio_dev *devs, int max)
{
    struct pci_dev found[VIRTIO_MAX_DEVS];
    int n = pci_find(VIRTIO_VENDOR, VIRTIO_9P_LEGACY, found, max < VIRTIO_MAX_DEVS ? max : VIRTIO_MAX_DEVS);
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct virtio_dev *d = &devs[k];
        u32 bar0 = pci_read32(&found[i], 0x10);
        if (!(bar0 & 1))
            continue;                               /* not an I/O BAR: a modern-only device */
        memset(d, 0, sizeof *d);
        d->pci = found[i];
        d->io = (u16)(bar0 & ~3u);
        d->index = k;
        /* command register: I/O space + bus master */
        pci_write16(&d->pci, 0x04, (u16)(pci_read32(&d->pci, 0x04) | 0x1 | 0x4));
        /* config: u16 tag length, then the tag bytes (not NUL-terminated) */
        u16 len = inw((u16)(d->io + REG_CONFIG));
        if (len >= VIRTIO_TAG_MAX)
            len = VIRTIO_TAG_MAX - 1;
        for (u16 j = 0; j < len; j++)
            d->tag[j] = (char)inb((u16)(d->io + REG_CONFIG + 2 + j));
        d->tag[len] = 0;
        k++;
    }
    return k;
}

int virtio_start(struct virtio_dev *d)
{
    u16 io = d->io;
    u8 *mem = queue_mem[d->index];

    outb((u16)(io + REG_STATUS), 0);                                   /* reset */
    outb((u16)(io + REG_STATUS), STATUS_ACKNOWLEDGE);
    outb((u16)(io + REG_STATUS), STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    u32 features = inl((u16)(io + REG_DEVICE_FEATURES));
    outl((u16)(io + REG_GUEST_FEATURES), features & VIRTIO_9P_MOUNT_TAG);

    outw((u16)(io + REG_QUEUE_SELECT), 0);
    u16 n = inw((u16)(io + REG_QUEUE_SIZE));
    /* legacy layout: descriptors, available ring, then the used ring on the next page */
    usize used_off = align_up(16u * n + 6u + 2u * n, PAGE);
    if (n == 0 || used_off + 6u + 8u * n > QUEUE_MEM) {
        outb((u16)(io + REG_STATUS), STATUS_FAILED);
        return -1;
    }
    memset(mem, 0, QUEUE_MEM);
    d->qsize = n;
    d->last_used = 0;
    d->desc = (volatile struct vring_desc *)mem;
    d->avail = (volatile struct vring_avail *)(mem + 16u * n);
    d->used = (volatile struct vring_used *)(mem + used_off);
    d->avail->flags = AVAIL_F_NO_INTERRUPT;
    outl((u16)(io + REG_QUEUE_PFN), (u32)((u64)mem / PAGE));          /* identity mapped: virtual = physical */

    outb((u16)(io + REG_STATUS), STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
    return 0;
}

u32 virtio_call(struct virtio_dev *d, const void *tx, u32 txlen, void *rx, u32 rxcap)
{
    /* descriptors 0 (request, device reads) and 1 (reply, device writes), reused by every call */
    d->desc[0].addr = (u64)tx;
    d->desc[0].len = txlen;
    d->desc[0].flags = DESC_F_NEXT;
    d->desc[0].next = 1;
    d->desc[1].addr = (u64)rx;
    d->desc[1].len = rxcap;
    d->desc[1].flags = DESC_F_WRITE;
    d->desc[1].next = 0;

    u16 idx = d->avail->idx;
    d->avail->ring[idx % d->qsize] = 0;
    barrier();
    d->avail->idx = (u16)(idx + 1);
    barrier();
    outw((u16)(d->io + REG_QUEUE_NOTIFY), 0);

    for (u32 polls = 0; d->used->idx == d->last_used; polls++) {
        if (polls == POLL_LIMIT)
            return 0;
        __asm__ volatile("pause");
    }
    barrier();
    u32 len = d->used->ring[d->last_used % d->qsize].len;
    d->last_used++;
    (void)inb((u16)(d->io + REG_ISR));      /* reading ISR acknowledges the (masked) interrupt */
    return len;
}
