/* SPDX-License-Identifier: Apache-2.0 */
/* outdir.c - the directory paygen writes into.
 *
 * The output root is opened once; everything below it is reached from that
 * descriptor with openat() and O_NOFOLLOW, so a symbolic link planted at
 * out/stacks or out/stacks/<stack> cannot send a write into another tree.
 * Only the components above the root, the path the user chose, are
 * followed. Directories paygen creates get mode 0755 whatever the umask.
 *
 * An existing root is refused when it is "/", the home directory, or not
 * empty without a manifest.json paygen wrote: generating there would mix
 * the output with files that are not paygen's (PG_WRITE_FORCE overrides). */
#include "writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#define MANIFEST_MAX (1 << 20)

/* NAME below AT as a directory, made when missing. Returns -1 with errno. */
static int open_or_make(int at, const char *name, bool follow, bool *created)
{
    int flags = DIR_FLAGS | (follow ? 0 : O_NOFOLLOW);
    *created = false;
    int fd = openat(at, name, flags);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    if (mkdirat(at, name, 0755) == 0)
        *created = true;
    else if (errno != EEXIST)
        return -1;
    fd = openat(at, name, flags);
    /* the umask (000 or 077 on some agents) must not decide who reads it */
    if (fd >= 0 && *created && fchmod(fd, 0755) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* PATH, walked from its start when it is missing, as mkdir -p does. */
static int open_path(const char *path, bool *created)
{
    *created = false;
    int fd = openat(AT_FDCWD, path, DIR_FLAGS | O_NOFOLLOW);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    char *copy = pg_xstrdup(path), *save = NULL;
    fd = open(*path == '/' ? "/" : ".", DIR_FLAGS);
    for (char *name = strtok_r(copy, "/", &save); name && fd >= 0;
         name = strtok_r(NULL, "/", &save)) {
        const char *rest = path + (name - copy) + strlen(name);
        bool last = rest[strspn(rest, "/")] == '\0';
        int at = fd;
        fd = open_or_make(at, name, !last, created);
        int saved = errno;
        close(at);
        errno = saved;
    }
    free(copy);
    return fd;
}

/* HINT: what to do about a link there. */
static void dir_error(int at, const char *name, const char *shown, const char *hint, int saved,
                      pg_errors *err)
{
    struct stat st;
    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        pg_errors_add(err, "%s: is a symbolic link: %s", shown, hint);
    else if (saved == ENOTDIR && fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        pg_errors_add(err, "%s: exists and is not a directory", shown);
    else
        pg_errors_add(err, "%s: cannot create directory: %s", shown, strerror(saved));
}

int pg_outdir_sub(int at, const char *name, const char *shown, bool *created, pg_errors *err)
{
    int fd = open_or_make(at, name, false, created);
    if (fd < 0)
        dir_error(at, name, shown, "paygen follows no link below the output directory", errno, err);
    return fd;
}

int pg_outdir_chain_open(pg_outdir_chain *c, int at, const char *sub, const char *shown, pg_errors *err)
{
    char *copy = pg_xstrdup(sub), *save = NULL, *where = pg_xstrdup(shown);
    int fd = at;
    for (char *name = strtok_r(copy, "/", &save); name && fd >= 0; name = strtok_r(NULL, "/", &save)) {
        char *next = pg_xasprintf("%s/%s", where, name);
        free(where);
        where = next;
        bool made;
        int parent = fd;
        fd = pg_outdir_sub(parent, name, where, &made, err);
        if (fd < 0)
            break;
        pg_grow(&c->links, &c->cap, c->count + 1, sizeof *c->links);
        c->links[c->count++] = (pg_outdir_link){parent, fd, pg_xstrdup(name), made};
    }
    free(where);
    free(copy);
    return fd;
}

void pg_outdir_chain_close(pg_outdir_chain *c, bool failed)
{
    for (size_t i = c->count; i-- > 0;) {
        pg_outdir_link *l = &c->links[i];
        close(l->fd);
        if (failed && l->made)
            unlinkat(l->at, l->name, AT_REMOVEDIR);
        free(l->name);
    }
    free(c->links);
    *c = (pg_outdir_chain){0};
}

static bool same_dir(const struct stat *st, const char *path)
{
    struct stat other;
    return path && *path && stat(path, &other) == 0 && other.st_dev == st->st_dev &&
           other.st_ino == st->st_ino;
}

static bool is_home(const struct stat *st)
{
    if (same_dir(st, getenv("HOME")))
        return true;
    struct passwd pw, *found = NULL;
    char buf[16384];
    return getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found &&
           same_dir(st, found->pw_dir);
}

/* 1: a manifest.json paygen wrote (its "stacks" and "profile" objects),
 * 0: none, -1: another file of that name. */
static int manifest_kind(int root)
{
    int fd = openat(root, "manifest.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    int kind = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= MANIFEST_MAX) {
        char *text = pg_xmalloc((size_t)st.st_size + 1);
        ssize_t n = read(fd, text, (size_t)st.st_size);
        cJSON *m = n > 0 ? cJSON_ParseWithLength(text, (size_t)n) : NULL;
        if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "stacks")) &&
            cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "profile")))
            kind = 1;
        cJSON_Delete(m);
        free(text);
    }
    close(fd);
    return kind;
}

static bool is_empty(int root)
{
    int fd = openat(root, ".", DIR_FLAGS);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    bool empty = true;
    for (struct dirent *e; empty && (e = readdir(d));)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

static int refuse(int fd, const char *path, pg_errors *err)
{
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (same_dir(&st, "/"))
        why = "is the root directory";
    else if (is_home(&st))
        why = "is the home directory";
    else {
        int kind = manifest_kind(fd);
        if (kind < 0)
            why = "holds a manifest.json that paygen did not write";
        else if (kind == 0 && !is_empty(fd))
            why = "is not empty and holds no paygen output (no manifest.json)";
    }
    if (why)
        pg_errors_add(err, "%s: %s: refusing to write there; name a new or empty directory, "
                           "or pass --force-output", path, why);
    return why ? -1 : 0;
}

int pg_outdir_open(const char *path, unsigned flags, bool *created, pg_errors *err)
{
    *created = false;
    if (!*path) {
        pg_errors_add(err, "the output directory is an empty string");
        return -1;
    }
    int fd = open_path(path, created);
    if (fd < 0) {
        dir_error(AT_FDCWD, path, path, "name the directory it points to", errno, err);
        return -1;
    }
    if (!*created && !(flags & PG_WRITE_FORCE) && refuse(fd, path, err) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}
