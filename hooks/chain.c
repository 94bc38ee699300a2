/* chain.c: runs the hook that was installed before ours, with the same arguments and input.
 * The input goes through an unlinked file, so a hook that never reads it cannot block us. */
#include "hook.h"
#include "error.h"
#include "proc.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int input_fd(const char *input, size_t len)
{
	int fd = memfd_create("mkt-gate-hook-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return gate_error("cannot create a file for the hook input: %s",
				  strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, input + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return gate_error("cannot write the hook input: %s",
					  strerror(errno));
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return gate_error("cannot rewind the hook input: %s",
				  strerror(errno));
	}
	return fd;
}

/* *status is the chained hook's exit status, 0 when there is none to run. */
int hook_chain_run(int *status, const char *chained, const char *const *args,
		   const char *input, size_t len)
{
	struct proc p;
	int fd, ret = -1;

	*status = 0;
	if (!chained || !*chained || access(chained, X_OK))
		return 0;
	proc_init(&p);
	fd = input_fd(input, len);
	if (fd < 0)
		goto out;
	p.in = fd;
	if (strvec_push(&p.args, chained) || strvec_pushv(&p.args, args)) {
		close(fd);
		goto out;
	}
	*status = proc_run(&p);
	if (*status < 0)
		goto out;
	ret = 0;
out:
	proc_dispose(&p);
	return ret;
}
