/* SPDX-License-Identifier: Apache-2.0 */
/* writer_faults.c - failures the writer must survive, injected with
 * LD_PRELOAD by tests/faults/writer.sh (built there, not by CMake):
 *   FAULT=NAME:N:ERR   the N-th call of NAME (fsync, renameat, renameat2,
 *                      linkat) fails with ERR (EIO, ENOSPC, EPERM)
 *   FAULT_NO_EXCHANGE=1  renameat2 knows no RENAME_EXCHANGE (NFS, FUSE) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int injected(const char *name)
{
    static int calls;
    const char *f = getenv("FAULT");
    size_t len = strlen(name);
    if (!f || strncmp(f, name, len) != 0 || f[len] != ':')
        return 0;
    char *end;
    long n = strtol(f + len + 1, &end, 10);
    if (++calls != n)
        return 0;
    errno = !strcmp(end, ":ENOSPC") ? ENOSPC : !strcmp(end, ":EPERM") ? EPERM : EIO;
    return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int fsync(int fd)
{
    return injected("fsync") ? -1 : REAL(fsync)(fd);
}

int renameat(int a, const char *from, int b, const char *to)
{
    return injected("renameat") ? -1 : REAL(renameat)(a, from, b, to);
}

int renameat2(int a, const char *from, int b, const char *to, unsigned flags)
{
    if ((flags & RENAME_EXCHANGE) && getenv("FAULT_NO_EXCHANGE")) {
        errno = EINVAL;
        return -1;
    }
    return injected("renameat2") ? -1 : REAL(renameat2)(a, from, b, to, flags);
}

int linkat(int a, const char *from, int b, const char *to, int flags)
{
    return injected("linkat") ? -1 : REAL(linkat)(a, from, b, to, flags);
}
