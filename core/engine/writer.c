/* SPDX-License-Identifier: Apache-2.0 */
/* writer.c - deterministic output, written so that it cannot be redirected
 * and replaces the previous output as a whole (SPEC D3, D4).
 *
 * The directories come from outdir.c: the output root opened once, stacks/
 * and stacks/<stack> opened below it without following links. Each file is
 * written in full beside its target under a fresh name, <target>.tmp-XXXXXX
 * (random, created with O_CREAT|O_EXCL|O_NOFOLLOW: nothing planted at that
 * name is ever opened), set to mode 0644 whatever the umask and fsync'ed:
 * one fsync per file. The fsyncs come after every file is written and its
 * write-back started (sync_file_range, Linux), so the device writes them
 * together and the first fsync's journal commit covers the others: git's
 * core.fsyncMethod=batch does the same. Further files (terraform tests,
 * function packages) go the same way, swapped in after the stacks and
 * before the manifest.
 * Directories are not synced: after a power loss a rename may be undone, a
 * renamed file is never empty.
 *
 * What a failure leaves:
 *  - until every file is written and flushed the output is not touched: a
 *    full disk, EFBIG, an unwritable directory or a target that is a
 *    directory or a link (refused) leaves it byte-identical, the temporary
 *    files removed;
 *  - then the files are swapped in, the stacks first and manifest.json
 *    last, each with renameat2(RENAME_EXCHANGE): a target is always the old
 *    file or the new one, never missing, and the old one stays under the
 *    temporary name. If a swap fails, those already made are undone (the
 *    old file renamed back over the new one) and the output is as it was.
 *    Where the file system cannot exchange (EINVAL: NFS, some FUSE), the old
 *    file is first hard-linked under a second temporary name and the new
 *    one renamed over the target, with the same guarantee;
 *  - not covered: while the swaps run (no I/O, microseconds) a reader
 *    may see old and new files side by side, and a crash or SIGKILL inside
 *    that window leaves them so, with *.tmp-* files; if undoing a swap
 *    itself fails, the message names the file that holds the old content. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE (glibc 2.28) */
#endif
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 25)
#include <sys/random.h>
#define HAVE_GETRANDOM 1
#endif

static int cmp_keys(const void *a, const void *b)
{
    return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* Stable, as glibc's qsort (a merge sort) is: insertion for the small
 * objects most are, qsort for the others. */
static void sort_members(cJSON **items, size_t n)
{
    if (n > 16) {
        pg_sort(items, n, sizeof *items, cmp_keys);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        cJSON *c = items[i];
        size_t j = i;
        for (; j > 0 && strcmp(items[j - 1]->string, c->string) > 0; j--)
            items[j] = items[j - 1];
        items[j] = c;
    }
}

void pg_json_sort(cJSON *node)
{
    if (!node)
        return;
    size_t n = 0;
    for (cJSON *c = node->child; c; c = c->next) {
        pg_json_sort(c);
        n++;
    }
    if (!cJSON_IsObject(node) || n < 2)
        return;
    cJSON *small[16];
    cJSON **items = n <= 16 ? small : pg_xmalloc(n * sizeof *items);
    size_t i = 0;
    for (cJSON *c = node->child; c; c = c->next)
        items[i++] = c;
    sort_members(items, n);
    for (i = 0; i < n; i++) {
        items[i]->prev = i ? items[i - 1] : items[n - 1]; /* cJSON: head->prev is the tail */
        items[i]->next = i + 1 < n ? items[i + 1] : NULL;
    }
    node->child = items[0];
    if (items != small)
        free(items);
}

/* One file to replace. */
typedef struct target {
    int dir;                  /* its directory, opened without following links */
    const char *name;         /* "cdk.tf.json", "manifest.json" */
    char *shown;              /* its path, for messages */
    const cJSON *doc;
    const void *data;         /* written as it is when doc is NULL */
    size_t size;
    bool existed;             /* a previous file is replaced */
    bool swapped;             /* the new file is in place */
    int fd;                   /* the temporary file, open until flushed */
    char temp[64];            /* the new file until swapped ("": none) */
    char old[64];             /* the previous file once swapped ("": none) */
} target;

/* Six random characters per name, as mkstemp: O_EXCL makes a guessed or
 * planted name harmless, randomness makes it hard to block. */
static void random_name(char *buf, size_t size, const char *base, uint64_t *seed)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint64_t x = (*seed += 0x9E3779B97F4A7C15u); /* splitmix64 */
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    x ^= x >> 31;
    char tail[7];
    for (size_t i = 0; i < 6; i++, x /= sizeof set - 1)
        tail[i] = set[x % (sizeof set - 1)];
    tail[6] = '\0';
    snprintf(buf, size, "%s.tmp-%s", base, tail);
}

static uint64_t random_seed(void)
{
    uint64_t seed = 0;
#ifdef HAVE_GETRANDOM
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
        return seed;
#endif
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return seed ^ (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^ (uint64_t)getpid() << 40;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The target must be a regular file or absent: a directory or a link there
 * would make its swap fail, or hand a link to whoever reads the output. */
static int check_target(target *t, pg_errors *err)
{
    struct stat st;
    if (fstatat(t->dir, t->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        t->existed = true;
        if (S_ISREG(st.st_mode))
            return 0;
        pg_errors_add(err, "%s: exists and is not a regular file", t->shown);
    } else if (errno == ENOENT) {
        return 0;
    } else {
        pg_errors_add(err, "%s: %s", t->shown, strerror(errno));
    }
    return -1;
}

/* Writes the temporary file and starts its write-back; flush() waits. */
static int write_temp(target *t, uint64_t *seed, pg_errors *err)
{
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        random_name(t->temp, sizeof t->temp, t->name, seed);
        fd = openat(t->dir, t->temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        pg_errors_add(err, "%s: cannot write: %s", t->shown, strerror(errno));
        t->temp[0] = '\0';
        return -1;
    }
    t->fd = fd;
    char *text = t->doc ? pg_json_print(t->doc) : NULL;
    /* 0644 whatever the umask: CI jobs and Terraform run as other users */
    int rc = text ? write_all(fd, text, strlen(text))
                  : write_all(fd, (const char *)t->data, t->size);
    if (rc == 0)
        rc = fchmod(fd, 0644);
#ifdef SYNC_FILE_RANGE_WRITE
    if (rc == 0) /* only a hint: fsync below is what makes the file durable */
        (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    if (rc != 0) {
        pg_errors_add(err, "%s: cannot write: %s", t->shown, strerror(errno));
        close(fd);
        t->fd = -1;
    }
    free(text);
    return rc;
}

/* fsyncs (unless the write already failed) and closes the temporary file
 * if it is open; a failure of either is the write's failure. */
static int flush(target *t, bool sync, pg_errors *err)
{
    if (t->fd < 0)
        return 0;
    int rc = sync ? fsync(t->fd) : 0;
    int saved = errno;
    if (close(t->fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    t->fd = -1;
    if (rc != 0)
        pg_errors_add(err, "%s: cannot write: %s", t->shown, strerror(saved));
    return rc;
}

/* The previous file kept under a second name, then replaced by rename. */
static int link_and_rename(target *t, uint64_t *seed)
{
    int rc = -1;
    for (int tries = 0; rc != 0 && tries < 100; tries++) {
        random_name(t->old, sizeof t->old, t->name, seed);
        rc = linkat(t->dir, t->name, t->dir, t->old, 0);
        if (rc != 0 && errno != EEXIST)
            break;
    }
    if (rc == 0 && (rc = renameat(t->dir, t->temp, t->dir, t->name)) != 0) {
        int saved = errno;
        unlinkat(t->dir, t->old, 0);
        errno = saved;
    }
    if (rc != 0)
        t->old[0] = '\0';
    return rc;
}

static int swap_in(target *t, uint64_t *seed, pg_errors *err)
{
    int rc;
    if (!t->existed) {
        rc = renameat(t->dir, t->temp, t->dir, t->name);
    } else {
        rc = -1;
        errno = EINVAL;
#ifdef RENAME_EXCHANGE
        rc = renameat2(t->dir, t->temp, t->dir, t->name, RENAME_EXCHANGE);
        if (rc == 0)
            memcpy(t->old, t->temp, sizeof t->old);
#endif
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
            rc = link_and_rename(t, seed);
    }
    if (rc != 0) {
        pg_errors_add(err, "%s: cannot replace: %s", t->shown, strerror(errno));
        return -1;
    }
    t->temp[0] = '\0';
    t->swapped = true;
    return 0;
}

static void swap_back(target *t, pg_errors *err)
{
    if (!t->existed) {
        if (unlinkat(t->dir, t->name, 0) != 0)
            pg_errors_add(err, "%s: cannot remove the new file: %s", t->shown, strerror(errno));
    } else if (renameat(t->dir, t->old, t->dir, t->name) != 0) {
        pg_errors_add(err, "%s: cannot put the previous file back, it is kept as %s: %s", t->shown,
                      t->old, strerror(errno));
    } else {
        t->old[0] = '\0';
    }
}

/* The directories of one write, and which of them this run made. */
typedef struct tree {
    int root, stacks, stack[PG_STACK_COUNT];
    bool made_root, made_stacks, made_stack[PG_STACK_COUNT];
    pg_outdir_chain extra;    /* below the stacks: the extra files' directories */
} tree;

static int open_tree(tree *d, const char *dir, unsigned flags, pg_errors *err)
{
    d->root = pg_outdir_open(dir, flags, &d->made_root, err);
    if (d->root < 0)
        return -1;
    char *shown = pg_xasprintf("%s/stacks", dir);
    d->stacks = pg_outdir_sub(d->root, "stacks", shown, &d->made_stacks, err);
    free(shown);
    for (size_t s = 0; s < PG_STACK_COUNT && d->stacks >= 0; s++) {
        shown = pg_xasprintf("%s/stacks/%s", dir, pg_stack_names[s]);
        d->stack[s] = pg_outdir_sub(d->stacks, pg_stack_names[s], shown, &d->made_stack[s], err);
        free(shown);
        if (d->stack[s] < 0)
            return -1;
    }
    return d->stacks >= 0 ? 0 : -1;
}

/* Closes the tree; after a failure, removes the directories this run made. */
static void close_tree(tree *d, const char *dir, bool failed)
{
    pg_outdir_chain_close(&d->extra, failed);
    for (size_t s = PG_STACK_COUNT; s-- > 0;) {
        if (failed && d->made_stack[s])
            unlinkat(d->stacks, pg_stack_names[s], AT_REMOVEDIR);
        if (d->stack[s] >= 0)
            close(d->stack[s]);
    }
    if (failed && d->made_stacks)
        unlinkat(d->root, "stacks", AT_REMOVEDIR);
    if (d->stacks >= 0)
        close(d->stacks);
    if (d->root >= 0)
        close(d->root);
    if (failed && d->made_root)
        rmdir(dir);
}

/* Opens the directory of a further file; its target, or -1. */
static int extra_target(target *t, tree *d, const char *path, pg_stack stack, const char *sub,
                        const char *name, pg_errors *err)
{
    char *shown = pg_xasprintf("%s/stacks/%s", path, pg_stack_names[stack]);
    int fd = pg_outdir_chain_open(&d->extra, d->stack[stack], sub, shown, err);
    if (fd >= 0)
        *t = (target){.dir = fd, .name = name, .shown = pg_xasprintf("%s/%s/%s", shown, sub, name),
                      .fd = -1};
    free(shown);
    return fd < 0 ? -1 : 0;
}

int pg_write_tree_files(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                        const pg_extra_file *extra, size_t extra_count, const pg_binary_file *binary,
                        size_t binary_count, unsigned flags, pg_errors *err)
{
    char *path = pg_xstrdup(dir); /* "out/" names out: no empty last component */
    for (size_t len = strlen(path); len > 1 && path[len - 1] == '/';)
        path[--len] = '\0';
    tree d = {.root = -1, .stacks = -1};
    for (size_t s = 0; s < PG_STACK_COUNT; s++)
        d.stack[s] = -1;
    size_t most = PG_STACK_COUNT + 1 + extra_count + binary_count;
    target *t = pg_xcalloc(most, sizeof *t);
    for (size_t i = 0; i < most; i++)
        t[i].fd = -1;
    size_t n = 0;
    int rc = open_tree(&d, path, flags, err);
    for (size_t s = 0; s < PG_STACK_COUNT && rc == 0; s++) {
        char *shown = pg_xasprintf("%s/stacks/%s/cdk.tf.json", path, pg_stack_names[s]);
        t[n++] = (target){.dir = d.stack[s], .name = "cdk.tf.json", .doc = stacks[s], .shown = shown,
                          .fd = -1};
    }
    /* swapped in before the manifest */
    for (size_t i = 0; i < extra_count && rc == 0; i++)
        if ((rc = extra_target(&t[n], &d, path, extra[i].stack, extra[i].sub, extra[i].name, err)) == 0)
            t[n++].doc = extra[i].doc;
    for (size_t i = 0; i < binary_count && rc == 0; i++)
        if ((rc = extra_target(&t[n], &d, path, binary[i].stack, binary[i].sub, binary[i].name, err)) == 0) {
            t[n].data = binary[i].data;
            t[n++].size = binary[i].size;
        }
    if (rc == 0)
        t[n++] = (target){.dir = d.root, .name = "manifest.json", .doc = manifest,
                          .shown = pg_xasprintf("%s/manifest.json", path), .fd = -1};
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = check_target(&t[i], err);
    uint64_t seed = rc == 0 ? random_seed() : 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = write_temp(&t[i], &seed, err);
    for (size_t i = 0; i < n; i++) /* every one, so that none stays open */
        if (flush(&t[i], rc == 0, err) != 0)
            rc = -1;
    size_t done = 0;
    for (; done < n && rc == 0; done++)
        rc = swap_in(&t[done], &seed, err);
    while (rc != 0 && done-- > 0)
        if (t[done].swapped)
            swap_back(&t[done], err);
    for (size_t i = 0; i < n; i++) {
        if (t[i].temp[0])
            unlinkat(t[i].dir, t[i].temp, 0);
        if (rc == 0 && t[i].old[0])
            unlinkat(t[i].dir, t[i].old, 0);
        free(t[i].shown);
    }
    close_tree(&d, path, rc != 0);
    free(t);
    free(path);
    return rc;
}

int pg_write_tree_with(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                       const pg_extra_file *extra, size_t extra_count, unsigned flags, pg_errors *err)
{
    return pg_write_tree_files(dir, stacks, manifest, extra, extra_count, NULL, 0, flags, err);
}

int pg_write_tree(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                  unsigned flags, pg_errors *err)
{
    return pg_write_tree_with(dir, stacks, manifest, NULL, 0, flags, err);
}

int pg_write_output(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                    pg_errors *err)
{
    return pg_write_tree(dir, stacks, manifest, 0, err);
}
