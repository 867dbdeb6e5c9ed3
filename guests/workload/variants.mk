# The workload guest's variants (included from configs/<platform>/bench-work*.mk): the
# benchmark programs, and the interference VM streaming over 512 KiB at a 64-byte stride.
GUEST_VARIANTS += workload workload-stream
GUEST_SRC_DIR_workload := guests/workload
GUEST_SRC_DIR_workload-stream := guests/workload
GUEST_MAKEVARS_workload := WL_ARCH=$(ARCH)
GUEST_MAKEVARS_workload-stream := WL_ARCH=$(ARCH)
GUEST_DEFS_workload-stream := -DWORKLOAD_STREAM=1
# The scale bench's RISC-V VMs: the counter at the first output, then off.
GUEST_VARIANTS += workload-boot
GUEST_SRC_DIR_workload-boot := guests/workload
GUEST_MAKEVARS_workload-boot := WL_ARCH=$(ARCH)
GUEST_DEFS_workload-boot := -DWORKLOAD_BOOT=1
