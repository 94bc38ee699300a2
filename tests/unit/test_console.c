/* test_console.c: the boot console scanner on recorded console excerpts
 * (warning, oops + panic, sanitizers, lockdep, hung task) and on random bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "strbuf.h"

static void scan_file(struct finding_list *l, struct ctr_console *info, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];

	snprintf(path, sizeof(path), "%s/boot/%s", TEST_DATA_DIR, name);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(ctr_console_scan(l, info, sb.buf, sb.len), 0);
	strbuf_dispose(&sb);
}

static void test_console_warning(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct ctr_console info = { 0 };
	const struct finding *f;

	scan_file(&l, &info, "warning.log");
	assert_int_equal(l.nr, 1);
	f = &l.v[0];
	assert_string_equal(f->analyzer, "boot");
	assert_string_equal(f->rule, "warning");
	assert_int_equal(f->severity, FINDING_WARNING);
	assert_string_equal(f->message,
			    "WARNING: CPU: 0 PID: 1 at drivers/base/core.c:3120 device_add");
	assert_string_equal(f->file, "drivers/base/core.c");
	assert_int_equal(f->line, 3120);
	assert_string_equal(f->function, "device_add");
	assert_non_null(strstr(f->detail, "platform_device_add"));
	assert_non_null(strstr(f->detail, "---[ end trace"));
	assert_null(strstr(f->detail, "Run /tmp"));
	assert_int_equal(strlen(f->fingerprint), 16);
	assert_true(info.kernel_seen);
	assert_true(info.init_seen);
	assert_true(ctr_console_boot_s(&info) > 0.81 && ctr_console_boot_s(&info) < 0.83);
	finding_list_dispose(&l);
}

static void test_console_oops_then_panic(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	scan_file(&l, NULL, "oops.log");
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.v[0].rule, "bug");
	assert_string_equal(l.v[0].message,
			    "BUG: kernel NULL pointer dereference, address: <addr>");
	assert_non_null(strstr(l.v[0].detail, "Oops: 0002 [#1]"));
	assert_non_null(strstr(l.v[0].detail, "foo_probe"));
	assert_string_equal(l.v[1].rule, "panic");
	assert_string_equal(l.v[1].message, "Kernel panic - not syncing: Fatal exception");
	assert_int_equal(l.v[1].severity, FINDING_ERROR);
	finding_list_dispose(&l);
}

static void test_console_sanitizers_lockdep_hung(void **state)
{
	static const char *const rules[] = {
		"kasan", "ubsan", "lockdep", "lockdep", "hung-task", "bug",
	};
	struct finding_list l = FINDING_LIST_INIT;

	scan_file(&l, NULL, "sanitizers.log");
	assert_int_equal(l.nr, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(l.v[i].rule, rules[i]);
	assert_string_equal(l.v[0].message, "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right");
	assert_string_equal(l.v[0].function, "kmalloc_oob_right");
	assert_non_null(strstr(l.v[0].detail, "Allocated by task 1"));
	assert_string_equal(l.v[1].file, "lib/test_ubsan.c");
	assert_int_equal(l.v[1].line, 86);
	assert_int_equal(l.v[1].column, 4);
	assert_non_null(strstr(l.v[1].detail, "index 16 is out of range"));
	assert_string_equal(l.v[2].message, "WARNING: possible circular locking dependency detected");
	assert_non_null(strstr(l.v[2].detail, "dump_stack_lvl"));
	assert_string_equal(l.v[4].message,
			    "INFO: task kworker/u4:2:57 blocked for more than 122 seconds.");
	assert_string_equal(l.v[5].file, "mm/slub.c");
	assert_int_equal(l.v[5].line, 4312);
	finding_list_dispose(&l);
}

static void test_console_clean_without_timestamps(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct ctr_console info = { 0 };

	scan_file(&l, &info, "clean.log");
	assert_int_equal(l.nr, 0);
	assert_true(info.init_seen);
	assert_true(ctr_console_boot_s(&info) > 2.70 && ctr_console_boot_s(&info) < 2.72);
	finding_list_dispose(&l);
}

/* The same oops at other addresses and times keeps its fingerprint. */
static void test_console_fingerprint_stable(void **state)
{
	static const char a[] = "[    1.203311] BUG: unable to handle page fault for address: ffffffffc0201000\r\n"
				"[    1.2] RIP: 0010:foo+0x1c/0x40\n";
	static const char b[] = "[  101.000001] BUG: unable to handle page fault for address: ffffffffc0abc000\n";
	struct finding_list la = FINDING_LIST_INIT, lb = FINDING_LIST_INIT;

	assert_int_equal(ctr_console_scan(&la, NULL, a, strlen(a)), 0);
	assert_int_equal(ctr_console_scan(&lb, NULL, b, strlen(b)), 0);
	assert_int_equal(la.nr, 1);
	assert_int_equal(lb.nr, 1);
	assert_string_equal(la.v[0].message, "BUG: unable to handle page fault for address: <addr>");
	assert_string_equal(la.v[0].fingerprint, lb.v[0].fingerprint);
	finding_list_dispose(&la);
	finding_list_dispose(&lb);
}

/* The panic of an init that exited after reporting is the designed end. */
static void test_console_init_exit(void **state)
{
	static const char log[] =
		"mkt-gate: init running, uptime 1.00 0.1\n"
		"Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000700\n"
		"---[ end Kernel panic - not syncing: Attempted to kill init! ]---\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct ctr_console info = { .expect_init_exit = true };

	assert_int_equal(ctr_console_scan(&l, &info, log, strlen(log)), 0);
	assert_int_equal(l.nr, 0);
	info.expect_init_exit = false;
	assert_int_equal(ctr_console_scan(&l, &info, log, strlen(log)), 0);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.v[0].rule, "panic");
	finding_list_dispose(&l);
}

/* An Oops-like line injected into a fake console log is found. */
static void test_console_injected_oops(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct finding_list l = FINDING_LIST_INIT;

	for (int i = 0; i < 200; i++)
		strbuf_addf(&sb, "[%5d.%06d] random driver noise %d\n", i, i * 7, i);
	strbuf_addstr(&sb, "\x1b[0m[  200.5] Oops: general protection fault, probably for "
		      "non-canonical address 0xdffffc0000000001: 0000 [#1] SMP KASAN\n");
	strbuf_addstr(&sb, "[  200.6] RIP: 0010:bar+0x5/0x10\n\0binary\xff\n");
	assert_int_equal(ctr_console_scan(&l, NULL, sb.buf, sb.len), 0);
	strbuf_dispose(&sb);
	assert_int_equal(l.nr, 0);	/* an escape before the prefix hides it */
	finding_list_dispose(&l);

	strbuf_addstr(&sb, "noise\n[  200.5] Oops: general protection fault, probably for "
		      "non-canonical address 0xdffffc0000000001: 0000 [#1] SMP KASAN\n");
	assert_int_equal(ctr_console_scan(&l, NULL, sb.buf, sb.len), 0);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.v[0].rule, "oops");
	assert_string_equal(l.v[0].message, "Oops: general protection fault, probably for "
			    "non-canonical address <addr>: 0000 [#1] SMP KASAN");
	strbuf_dispose(&sb);
	finding_list_dispose(&l);
}

/* Property: any bytes scan without error, and every string is printable ASCII. */
static void test_console_fuzz(void **state)
{
	static const char *const seeds[] = {
		"BUG: ", "WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2", "Oops:", "\n",
		"[ 1.0] ", "Kernel panic - not syncing: ", "=====", "</TASK>",
		"---[ end trace", "UBSAN: x in y.c:1:2", " at ", " in ", "\r", ":",
		"INFO: task a:1 blocked for more than 1 s", "+0x", "ffffffff81000000",
	};
	struct strbuf sb = STRBUF_INIT;

	srand(9);
	for (int round = 0; round < 400; round++) {
		struct finding_list l = FINDING_LIST_INIT;
		struct ctr_console info = { 0 };

		strbuf_reset(&sb);
		for (int i = rand() % 300; i > 0; i--) {
			if (rand() % 3)
				strbuf_addch(&sb, rand() % 256);
			else
				strbuf_addstr(&sb, seeds[rand() % (sizeof(seeds) / sizeof(*seeds))]);
		}
		assert_int_equal(ctr_console_scan(&l, &info, sb.buf, sb.len), 0);
		for (size_t i = 0; i < l.nr; i++) {
			const char *strs[] = { l.v[i].message, l.v[i].detail, l.v[i].file,
					       l.v[i].function };

			assert_non_null(l.v[i].message);
			for (size_t k = 0; k < 4; k++)
				for (const char *p = strs[k]; p && *p; p++)
					assert_true((*p >= 0x20 && *p < 0x7f) || *p == '\n' ||
						    *p == '\t');
		}
		finding_list_dispose(&l);
	}
	strbuf_dispose(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_warning),
		cmocka_unit_test(test_console_oops_then_panic),
		cmocka_unit_test(test_console_sanitizers_lockdep_hung),
		cmocka_unit_test(test_console_clean_without_timestamps),
		cmocka_unit_test(test_console_fingerprint_stable),
		cmocka_unit_test(test_console_init_exit),
		cmocka_unit_test(test_console_injected_oops),
		cmocka_unit_test(test_console_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
