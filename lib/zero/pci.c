/* Port I/O and PCI configuration space for user-space drivers (pci.h). */
#include "zero/pci.h"

#include "zero/zero.h"

uint32_t io_in(uint64_t cap, uint32_t port, uint32_t width)
{
    struct zsys r = {SYS_IOPORT_IN_WIDE, cap, port, width, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? (uint32_t)r.rdi : UINT32_MAX;
}

int io_out(uint64_t cap, uint32_t port, uint32_t width, uint32_t v)
{
    return (int)zsys4(SYS_IOPORT_OUT_WIDE, cap, port, width, v);
}

uint32_t pci_read32(uint32_t addr, uint32_t off)
{
    if (io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_ADDR, 4, addr | (off & 0xfc)) != 0) {
        return UINT32_MAX;
    }
    return io_in(ZERO_SLOT_PCI_CFG, PCI_CFG_DATA, 4);
}

void pci_write32(uint32_t addr, uint32_t off, uint32_t v)
{
    if (io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_ADDR, 4, addr | (off & 0xfc)) == 0) {
        (void)io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_DATA, 4, v);
    }
}

uint32_t pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
    for (uint32_t dev = 0; dev < 32; dev++) {
        for (uint32_t fn = 0; fn < 8; fn++) {
            uint32_t addr = 0x80000000u | (dev << 11) | (fn << 8);
            uint32_t id = pci_read32(addr, 0);
            if (id == UINT32_MAX && fn == 0) {
                break; /* no device in this slot */
            }
            if ((id & 0xffff) == vendor && (id >> 16) == device && index-- == 0) {
                return addr;
            }
        }
    }
    return 0;
}
