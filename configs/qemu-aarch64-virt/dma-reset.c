/* dma.c with the DMA VM under the "reset" fault policy: its blocked transfer restarts it. */
#define DMA_FAULT_POLICY VM_FAULT_RESET
#include "dma.c"
