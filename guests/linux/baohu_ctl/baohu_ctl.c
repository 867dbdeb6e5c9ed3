// SPDX-License-Identifier: GPL-2.0
/* baohu_ctl: /dev/baohu-ctl, Baohu's management hypercalls (HVC from EL1) for the manager VM's user space. */
#include <linux/arm-smccc.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <asm/memory.h>

#include "baohu_ctl.h"

/* include/baohu/hypercall.h: SMCCC vendor-hypervisor fast calls, owner 6. */
#define BAOHU_HC_ID(n) (0xC6000000u | (n))
#define BAOHU_HC_VM_INFO 5
#define BAOHU_HC_VM_STATS 9

/* The page Baohu writes a record into: the module's own, so user space
 * never hands the hypervisor an address. One call at a time uses it. */
static void *baohu_ctl_page;
static DEFINE_MUTEX(baohu_ctl_lock);

static long baohu_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct baohu_ctl_call c;
	struct arm_smccc_res res;

	if (cmd != BAOHU_CTL_CALL)
		return -ENOTTY;
	if (copy_from_user(&c, (void __user *)arg, sizeof(c)))
		return -EFAULT;
	if (c.call < BAOHU_HC_VM_INFO || c.call > BAOHU_HC_VM_STATS)
		return -EINVAL;
	mutex_lock(&baohu_ctl_lock);
	memset(baohu_ctl_page, 0, PAGE_SIZE);
	/* x1 = VM id, x2 = the buffer's guest-physical address, x3 = its size. */
	arm_smccc_1_1_hvc(BAOHU_HC_ID(c.call), c.vm, virt_to_phys(baohu_ctl_page), PAGE_SIZE, &res);
	c.result = (s64)res.a0;
	memcpy(c.record, baohu_ctl_page, sizeof(c.record));
	mutex_unlock(&baohu_ctl_lock);
	if (copy_to_user((void __user *)arg, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

static const struct file_operations baohu_ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = baohu_ctl_ioctl,
};

static struct miscdevice baohu_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "baohu-ctl",
	.fops = &baohu_ctl_fops,
	.mode = 0600,
};

static int __init baohu_ctl_init(void)
{
	int err;

	baohu_ctl_page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!baohu_ctl_page)
		return -ENOMEM;
	err = misc_register(&baohu_ctl_dev);
	if (err)
		free_page((unsigned long)baohu_ctl_page);
	return err;
}

static void __exit baohu_ctl_exit(void)
{
	misc_deregister(&baohu_ctl_dev);
	free_page((unsigned long)baohu_ctl_page);
}

module_init(baohu_ctl_init);
module_exit(baohu_ctl_exit);
MODULE_DESCRIPTION("Baohu management hypercalls for the manager VM (/dev/baohu-ctl)");
MODULE_LICENSE("GPL");
