# QEMU's generic loader places the app guest where preload.c says it is.
QEMU_EXTRA += -device loader,file=$(GUEST_OUT)/app.bin,addr=0x48000000,force-raw=on
