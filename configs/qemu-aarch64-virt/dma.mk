# A 1 MiB disk whose sector 0 starts with "BAOHUDMA", as virtio-blk-pci behind the SMMU
# (iommu_platform=on: its DMA is translated, disable-legacy=on: modern virtio-pci only).
DMA_DISK := $(abspath build/dma-disk.img)
QEMU_EXTRA += -drive if=none,id=d0,format=raw,file=$(DMA_DISK) \
	-device virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on
# The first rule make reads, so `all` stays the default goal.
all run debug: $(DMA_DISK)
$(DMA_DISK):
	@mkdir -p $(dir $@)
	printf 'BAOHUDMA' > $@ && truncate -s 1M $@
