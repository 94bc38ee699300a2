// SPDX-License-Identifier: GPL-2.0-only
#include <linux/sched.h>
#include <linux/fork_only.h>
