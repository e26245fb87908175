/*
 * The two x86 flavours the machine can be (arch/x86/include/asm/page_64_types.h, page_32_types.h,
 * Documentation/arch/x86/x86_64/mm.rst): where the direct map and mem_map live, where the zones end.
 */
#include <mmlab/machine.h>

/* x86_64: all RAM is in the direct map, struct pages in vmemmap; where both sit depends on the
 * paging mode. */
#define X86_64_LAYOUT(direct_map, vmemmap)								\
	{												\
		.name = "x86_64",									\
		.page_offset = (direct_map),								\
		.vmemmap_base = (vmemmap),								\
		.max_dma_pfn = (16UL << 20) >> PAGE_SHIFT,						\
		.max_dma32_pfn = (4UL << 30) >> PAGE_SHIFT,						\
		.max_low_pfn = ~0UL,									\
		.zones_configured = 1u << ZONE_DMA | 1u << ZONE_DMA32 | 1u << ZONE_NORMAL | 1u << ZONE_MOVABLE | \
				    1u << ZONE_DEVICE,							\
		.pageblock_order = 9,		/* HPAGE_PMD_ORDER: 2 MiB */				\
		.thp = true,										\
		.thread_size = 16384,		/* THREAD_SIZE: PAGE_SIZE << 2 (KASAN off) */		\
		/* a limit of this simulator (host memory for mem_map), not of x86_64 */		\
		.max_ram = 64ULL << 30,									\
	}

/* 4-level paging: the direct map at 0xffff888000000000; 5-level: at 0xff11000000000000. */
static const struct arch_layout x86_64_layout = X86_64_LAYOUT(0xffff888000000000UL, 0xffffea0000000000UL);
static const struct arch_layout x86_64_la57_layout = X86_64_LAYOUT(0xff11000000000000UL, 0xffd4000000000000UL);

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

const struct arch_layout *arch_layout(enum mm_arch arch, bool la57)
{
	if (arch == ARCH_I386)
		return &i386_layout;
	return la57 ? &x86_64_la57_layout : &x86_64_layout;
}
