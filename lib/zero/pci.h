/*
 * Port I/O through an I/O-port capability, and PCI configuration space by
 * the legacy 0xcf8/0xcfc mechanism (through ZERO_SLOT_PCI_CFG), for the
 * user-space drivers.
 */
#ifndef ZERO_LIB_ZERO_PCI_H
#define ZERO_LIB_ZERO_PCI_H

#include <stdint.h>

#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc
#define PCI_VENDOR_VIRTIO 0x1af4

/* Reads WIDTH (1, 2 or 4) bytes at PORT through CAP; UINT32_MAX on error. */
uint32_t io_in(uint64_t cap, uint32_t port, uint32_t width);
/* Writes V; returns 0 or the kernel's error. */
int io_out(uint64_t cap, uint32_t port, uint32_t width, uint32_t v);

/* The 32-bit configuration register at OFF of the function at ADDR
 * (0x80000000 | bus << 16 | dev << 11 | fn << 8); UINT32_MAX on error. */
uint32_t pci_read32(uint32_t addr, uint32_t off);
void pci_write32(uint32_t addr, uint32_t off, uint32_t v);

/* Configuration address of the index'th function on bus 0 with this vendor
 * and device id, or 0. */
uint32_t pci_find(uint16_t vendor, uint16_t device, unsigned index);

#endif
