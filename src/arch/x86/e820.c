/*
 * The firmware memory map of a PC (arch/x86/kernel/e820.c): usable RAM below 640 KiB, the legacy
 * VGA/BIOS hole up to 1 MiB, then RAM; on machines with more than 3 GiB, the RAM that would sit under
 * the PCI hole (3-4 GiB) is remapped above 4 GiB, as chipsets do.
 */
#include <inttypes.h>

#include <mmlab/machine.h>
#include <mmlab/printk.h>

#include "x86.h"

#define EBDA_START	0x9fc00ULL	/* extended BIOS data area: the top of conventional memory */
#define BIOS_START	0xf0000ULL
#define LOW_RAM_END	0x100000ULL	/* 1 MiB */
#define PCI_HOLE_START	(3ULL << 30)
#define PCI_HOLE_END	(4ULL << 30)

static void e820_add(struct machine *m, uint64_t addr, uint64_t size, enum e820_type type)
{
	m->e820[m->nr_e820++] = (struct e820_entry){ .addr = addr, .size = size, .type = type };
}

/* e820__memory_setup: the map a BIOS would hand over for ram bytes of memory. */
void e820__memory_setup(struct machine *m)
{
	uint64_t ram = m->cfg.ram;

	m->nr_e820 = 0;
	e820_add(m, 0, EBDA_START, E820_TYPE_RAM);
	e820_add(m, EBDA_START, 0xa0000ULL - EBDA_START, E820_TYPE_RESERVED);
	e820_add(m, BIOS_START, LOW_RAM_END - BIOS_START, E820_TYPE_RESERVED);
	if (ram <= PCI_HOLE_START) {
		e820_add(m, LOW_RAM_END, ram - LOW_RAM_END, E820_TYPE_RAM);
		return;
	}
	e820_add(m, LOW_RAM_END, PCI_HOLE_START - LOW_RAM_END, E820_TYPE_RAM);
	e820_add(m, PCI_HOLE_END, ram - PCI_HOLE_START, E820_TYPE_RAM);
}

static const char *e820_type_name(enum e820_type type)
{
	return type == E820_TYPE_RAM ? "usable" : "reserved";
}

/* e820__print_table: "BIOS-e820: [mem 0x...-0x...] usable". */
void e820__print_table(struct machine *m)
{
	pr_info(m, "BIOS-provided physical RAM map:\n");
	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820_entry *e = &m->e820[i];
		pr_info(m, "BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n", e->addr, e->addr + e->size - 1,
			e820_type_name(e->type));
	}
}

/* e820_ram_pfn_range: the i-th usable range in whole pages; the first page is kept by the kernel
 * (trim_bios_range), so RAM starts at pfn 1. False past the last range. */
bool e820_ram_pfn_range(const struct machine *m, int *i, unsigned long *start, unsigned long *end)
{
	while (*i < m->nr_e820) {
		const struct e820_entry *e = &m->e820[(*i)++];
		if (e->type != E820_TYPE_RAM)
			continue;
		*start = (unsigned long)((e->addr + PAGE_SIZE - 1) >> PAGE_SHIFT);
		*end = (unsigned long)((e->addr + e->size) >> PAGE_SHIFT);
		if (*start == 0)
			*start = 1;
		return true;
	}
	return false;
}
