/* range_boot.h: `range --boot SECTION` in the engine: each commit's kernel
 * booted in QEMU, its console compared with the parent's boot. */
#ifndef GATE_ENGINE_BOOT_H
#define GATE_ENGINE_BOOT_H

#include <git2.h>
#include <jansson.h>

struct gate_engine;

/*
 * Life cycle: gate_boot_open() once (nothing happens without
 * e->o->boot_target); for each commit gate_boot_before() with the scratch
 * tree at the parent, then gate_boot_after() with it at the commit;
 * gate_boot_close(). The parent is booted only when it is not the tree
 * booted last, so a series boots its base once and then each commit once;
 * a commit whose kernel image did not change is not booted again.
 *
 * gate_boot_after() appends a `boot` check to the commit (cj): new and
 * fixed console findings (panic, Oops, WARNING, KASAN, ...) by
 * fingerprint, "fail" when the command or the boot ends badly where the
 * parent's did not, "error" when the boot could not run or the parent
 * ends badly too; and the boots to the report's `boot` list. Both return
 * -1 only when interrupted or out of memory.
 */
int gate_boot_open(struct gate_engine *e);
int gate_boot_before(struct gate_engine *e, const git_oid *before, const char *sha);
int gate_boot_after(struct gate_engine *e, json_t *cj, const git_oid *after,
		    const char *sha);
void gate_boot_close(struct gate_engine *e);

#endif
