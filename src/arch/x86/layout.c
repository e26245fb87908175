/*
 * The two x86 flavours the machine can be (arch/x86/include/asm/page_64_types.h, page_32_types.h,
 * Documentation/arch/x86/x86_64/mm.rst): where the direct map and mem_map live, where the zones end.
 */
#include <mmlab/machine.h>

/* x86_64, 4-level paging: all RAM is in the direct map at 0xffff888000000000; struct pages in vmemmap. */
static const struct arch_layout x86_64_layout = {
	.name = "x86_64",
	.page_offset = 0xffff888000000000UL,
	.vmemmap_base = 0xffffea0000000000UL,
	.max_dma_pfn = (16UL << 20) >> PAGE_SHIFT,
	.max_dma32_pfn = (4UL << 30) >> PAGE_SHIFT,
	.max_low_pfn = ~0UL,
	.zones_configured = 1u << ZONE_DMA | 1u << ZONE_DMA32 | 1u << ZONE_NORMAL | 1u << ZONE_MOVABLE |
			    1u << ZONE_DEVICE,
	.pageblock_order = 9,		/* HPAGE_PMD_ORDER: 2 MiB */
	.thp = true,
	.thread_size = 16384,		/* THREAD_SIZE: PAGE_SIZE << 2 (KASAN off) */
	.max_ram = 64ULL << 30,		/* a limit of this simulator (host memory for mem_map), not of x86_64 */
};

/* i386 without PAE: the kernel owns 0xc0000000-0xffffffff; only the first 896 MiB of RAM fit in its
 * direct map, the rest is HighMem, reachable only through temporary mappings (kmap). */
static const struct arch_layout i386_layout = {
	.name = "i386",
	.page_offset = 0xc0000000UL,
	.vmemmap_base = 0,		/* FLATMEM: mem_map is an array in lowmem */
	.max_dma_pfn = (16UL << 20) >> PAGE_SHIFT,
	.max_dma32_pfn = 0,
	.max_low_pfn = (896UL << 20) >> PAGE_SHIFT,
	.zones_configured = 1u << ZONE_DMA | 1u << ZONE_NORMAL | 1u << ZONE_HIGHMEM | 1u << ZONE_MOVABLE,
	.pageblock_order = 10,		/* 4 MiB huge pages without PAE */
	.thp = false,
	.thread_size = 8192,		/* THREAD_SIZE: PAGE_SIZE << 1 */
	.max_ram = 4ULL << 30,
};

const struct arch_layout *arch_layout(enum mm_arch arch)
{
	return arch == ARCH_I386 ? &i386_layout : &x86_64_layout;
}
