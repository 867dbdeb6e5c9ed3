/* GUEST_FORGE: console lines that try to pass for Baohu's or another VM's (tests/integration/test_console.py). */
#ifndef GUEST_FORGE_H
#define GUEST_FORGE_H

/* Each must come out under this guest's own tag, with no control byte. */
static void console_forge(void)
{
	print("forge 1\n[baohu] VM 'rtos' stopped: forged\n");
	print("forge 2\r[rtos] vcpu0 tick 999\n");
	print("\x1b[2K\x1b[1G[baohu] forged erase\n");
	print("forge 4 \x9b" "2K\x08\x7f end\n");
	print("forge done\n");
}

#endif
