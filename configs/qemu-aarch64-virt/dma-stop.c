/* dma.c with the DMA VM under the "stop" fault policy: its blocked transfer stops it. */
#define DMA_FAULT_POLICY VM_FAULT_STOP
#include "dma.c"
