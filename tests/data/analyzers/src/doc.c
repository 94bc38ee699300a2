// SPDX-License-Identifier: GPL-2.0
/**
 * foo_init() - initialise a foo
 * @dev: the device
 *
 * Return: 0 or a negative errno
 */
int foo_init(struct device *dev, int flags)
{
	return 0;
}

/**
 * foo_exit - tear down
 * @dev: the device
 * @gone: not a parameter
 */
void foo_exit(struct device *dev)
{
}

/**
 * struct foo_priv - private data
 * @lock: protects everything
 */
struct foo_priv {
	int lock;
	int count;
};

/**
 * this is not kernel-doc at all
 */
static int helper(void)
{
	return 1;
}

/**
 * foo_get() - get a foo
 * @id: identifier
 */
int foo_get(int id)
{
	return id;
}
