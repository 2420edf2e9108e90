/* PCI configuration space through mechanism #1: address to 0xCF8, data at 0xCFC. */
#include "cloudcover.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define PCI_BUSES 4             /* QEMU -M pc puts everything on bus 0; a few more cost nothing */

static u32 address(u32 bus, u32 dev, u32 fn, u32 reg)
{
    return 0x80000000u | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xfc);
}

static u32 read32(u32 bus, u32 dev, u32 fn, u32 reg)
{
    outl(PCI_ADDR, address(bus, dev, fn, reg));
    return inl(PCI_DATA);
}

u32 pci_read32(const struct pci_dev *d, u8 reg)
{
    return read32(d->bus, d->dev, d->fn, reg);
}

/* A 16-bit write, so that writing the command register leaves the status register (RW1C bits) alone. */
void pci_write16(const struct pci_dev *d, u8 reg, u16 v)
{
    outl(PCI_ADDR, address(d->bus, d->dev, d->fn, reg));
    outw((u16)(PCI_DATA + (reg & 2)), v);
}

int pci_find(u16 vendor, u16 device, struct pci_dev *out, int max)
{
    int n = 0;
    for (u32 bus = 0; bus < PCI_BUSES; bus++) {
        for (u32 dev = 0; dev < 32; dev++) {
            u32 fns = 1;
            if ((read32(bus, dev, 0, 0) & 0xffff) == 0xffff)
                continue;                                   /* no device in this slot */
            if (read32(bus, dev, 0, 0x0c) & 0x00800000)
                fns = 8;                                    /* multi-function (header type bit 7) */
            for (u32 fn = 0; fn < fns; fn++) {
                u32 id = read32(bus, dev, fn, 0);
                if ((id & 0xffff) == vendor && (id >> 16) == device && n < max) {
                    out[n].bus = (u8)bus;
                    out[n].dev = (u8)dev;
                    out[n].fn = (u8)fn;
                    n++;
                }
            }
        }
    }
    return n;
}
