/* The device the alarm configs pass through: timer 1 of the Cadence TTC0 (UG1085, "Triple-timer
 * Counter"), SPI 36. This board has no PL031. */
#define ALARM_DEV_PA 0xff110000
#define ALARM_DEV_IRQ 68
