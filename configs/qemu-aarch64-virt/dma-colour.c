/* DMA isolation (dma.c) with Baohu coloured 0-3 and the DMA VM 8-15: the SMMU's stream table,
 * queues and contexts come from Baohu's coloured table pool, the VM's DMA walks its coloured RAM.
 * The victim's RAM is at a fixed pa (uncoloured), so the config allows sharing: a warning. */
#define DMA_BAOHU_COLOURING .hyp_colours = 0x000f, .hyp_colours_shared = true
#define DMA_VM_COLOURS 0xff00
#include "dma.c"
