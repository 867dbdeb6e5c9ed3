/* The device the alarm configs pass through: the PL031 RTC of QEMU virt (its device tree:
 * pl031@9010000, interrupts = <0 2 4>: SPI 2, level). */
#define ALARM_DEV_PA 0x09010000
#define ALARM_DEV_IRQ 34
