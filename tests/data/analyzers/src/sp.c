#define __user		__attribute__((noderef, address_space(__user)))
#define __iomem		__attribute__((noderef, address_space(__iomem)))
#define __acquires(x)	__attribute__((context(x, 0, 1)))
#define __releases(x)	__attribute__((context(x, 1, 0)))
#define __bitwise	__attribute__((bitwise))

typedef unsigned int __bitwise __le32;

struct lock { int v; };
extern void spin_lock(struct lock *l) __acquires(l);
extern void spin_unlock(struct lock *l) __releases(l);
extern unsigned long copy_from_user(void *to, const void __user *from,
				    unsigned long n);

int exported_counter;

static int take_kernel_ptr(int *p)
{
	return *p;
}

int read_user(int __user *uptr)
{
	int v;

	v = *uptr;
	return take_kernel_ptr(uptr) + v;
}

int read_reg(void __iomem *base)
{
	return *(int *)base;
}

void copy_it(int *kbuf, int *kptr)
{
	copy_from_user(kbuf, kptr, 4);
}

int unbalanced(struct lock *l, int x)
{
	spin_lock(l);
	if (x)
		return 1;
	spin_unlock(l);
	return 0;
}

unsigned int mix(__le32 le)
{
	return le + 1;
}

static void *nullish(void)
{
	return 0;
}

void use(void)
{
	(void)nullish;
}
