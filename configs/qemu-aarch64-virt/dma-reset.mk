# The same disk and virtio-blk-pci device as dma.
include configs/qemu-aarch64-virt/dma.mk
