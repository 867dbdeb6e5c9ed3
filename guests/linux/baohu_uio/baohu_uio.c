// SPDX-License-Identifier: GPL-2.0
/* baohu_uio: user-space access (UIO) to a Baohu shared-memory object: map0 = object, map1 = doorbell page, IRQ = doorbell. */
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/uio_driver.h>

/* The doorbell is an edge event, not a level a device holds: nothing to
 * silence in the handler, so the interrupt is never masked and writes of
 * 0/1 to /dev/uioN are accepted and ignored. */
static irqreturn_t baohu_uio_irq(int irq, struct uio_info *info)
{
	return IRQ_HANDLED;
}

static int baohu_uio_irqcontrol(struct uio_info *info, s32 on)
{
	return 0;
}

static int baohu_uio_probe(struct platform_device *pdev)
{
	struct uio_info *info = devm_kzalloc(&pdev->dev, sizeof(*info), GFP_KERNEL);
	int i, irq;

	if (!info)
		return -ENOMEM;
	info->name = pdev->dev.of_node->name;
	info->version = "1";
	for (i = 0; i < 2; i++) {
		struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, i);

		if (!r)
			break;
		info->mem[i].name = i ? "doorbell" : "object";
		info->mem[i].addr = r->start;
		info->mem[i].size = resource_size(r);
		info->mem[i].memtype = UIO_MEM_PHYS;
	}
	if (!i)
		return -EINVAL;
	irq = platform_get_irq_optional(pdev, 0);
	info->irq = irq > 0 ? irq : UIO_IRQ_NONE;
	info->handler = baohu_uio_irq;
	info->irqcontrol = baohu_uio_irqcontrol;
	return devm_uio_register_device(&pdev->dev, info);
}

/* The node Baohu's generated device trees give each shared-memory object
 * (tools/config_dts.c); the same compatible uio_pdrv_genirq takes with
 * of_id=generic-uio, which Debian's kernel does not build. */
static const struct of_device_id baohu_uio_of_match[] = {
	{ .compatible = "generic-uio" },
	{}
};
MODULE_DEVICE_TABLE(of, baohu_uio_of_match);

static struct platform_driver baohu_uio_driver = {
	.probe = baohu_uio_probe,
	.driver = { .name = "baohu_uio", .of_match_table = baohu_uio_of_match },
};
module_platform_driver(baohu_uio_driver);
MODULE_DESCRIPTION("UIO for Baohu shared-memory objects and doorbells");
MODULE_LICENSE("GPL");
