/* The host's stand-in for the one CPU hook core locks need (spinlock.h). */
void arch_cpu_relax(void);

void arch_cpu_relax(void)
{
}
