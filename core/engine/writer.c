/* SPDX-License-Identifier: Apache-2.0 */
/* writer.c - deterministic, atomic output (SPEC D3, D4).
 *
 * Every file is first written in full next to its target and flushed to disk;
 * only when all of them were written are they renamed over the old ones. A
 * failure before that point removes the temporary files and leaves the old
 * output exactly as it was. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_keys(const void *a, const void *b)
{
    return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
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
    cJSON **items = pg_xmalloc(n * sizeof *items);
    size_t i = 0;
    for (cJSON *c = node->child; c; c = c->next)
        items[i++] = c;
    pg_sort(items, n, sizeof *items, cmp_keys);
    for (i = 0; i < n; i++) {
        items[i]->prev = i ? items[i - 1] : items[n - 1]; /* cJSON: head->prev is the tail */
        items[i]->next = i + 1 < n ? items[i + 1] : NULL;
    }
    node->child = items[0];
    free(items);
}

static int make_dirs(const char *path, pg_errors *err)
{
    char *copy = pg_xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            pg_errors_add(err, "%s: cannot create directory: %s", copy, strerror(errno));
            free(copy);
            return -1;
        }
        *p = '/';
    }
    int rc = 0;
    struct stat st;
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
        pg_errors_add(err, "%s: cannot create directory: %s", copy, strerror(errno));
        rc = -1;
    } else if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
        pg_errors_add(err, "%s: exists and is not a directory", copy);
        rc = -1;
    }
    free(copy);
    return rc;
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

typedef struct pending {
    char *target;
    char *temp;
} pending;

static int write_temp(pending *p, const char *text, pg_errors *err)
{
    p->temp = pg_xasprintf("%s.tmp-%ld", p->target, (long)getpid());
    int fd = open(p->temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        pg_errors_add(err, "%s: cannot write: %s", p->target, strerror(errno));
        free(p->temp);
        p->temp = NULL;
        return -1;
    }
    int rc = write_all(fd, text, strlen(text));
    if (rc == 0)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        pg_errors_add(err, "%s: cannot write: %s", p->target, strerror(saved));
        unlink(p->temp);
        free(p->temp);
        p->temp = NULL;
    }
    return rc;
}

int pg_write_output(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                    pg_errors *err)
{
    pending files[PG_STACK_COUNT + 1] = {{0}};
    const cJSON *docs[PG_STACK_COUNT + 1];
    size_t n = 0;
    int rc = 0;
    for (size_t s = 0; s < PG_STACK_COUNT && rc == 0; s++) {
        char *stack_dir = pg_xasprintf("%s/stacks/%s", dir, pg_stack_names[s]);
        rc = make_dirs(stack_dir, err);
        files[n].target = pg_xasprintf("%s/cdk.tf.json", stack_dir);
        docs[n++] = stacks[s];
        free(stack_dir);
    }
    if (rc == 0) {
        files[n].target = pg_xasprintf("%s/manifest.json", dir);
        docs[n++] = manifest;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *text = pg_json_print(docs[i]);
        rc = write_temp(&files[i], text, err);
        free(text);
    }
    /* Refuse before the first rename what would make a later one fail, so
     * that either every file is replaced or none is. */
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        if (lstat(files[i].target, &st) == 0 && !S_ISREG(st.st_mode)) {
            pg_errors_add(err, "%s: exists and is not a regular file", files[i].target);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (rename(files[i].temp, files[i].target) != 0) {
            pg_errors_add(err, "%s: cannot replace: %s", files[i].target, strerror(errno));
            rc = -1;
        } else {
            free(files[i].temp);
            files[i].temp = NULL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (files[i].temp) {
            unlink(files[i].temp);
            free(files[i].temp);
        }
        free(files[i].target);
    }
    return rc;
}
