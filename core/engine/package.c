/* SPDX-License-Identifier: Apache-2.0 */
/* package.c - function packages: functions/<name>/ zipped into the stack
 * (pg_function_package), written with it by writer.c.
 *
 * The archive is a stored (uncompressed) ZIP as PKZIP's APPNOTE.TXT
 * describes it: a local file header and the data per file, the central
 * directory, the end record. It depends on nothing but the files' paths
 * and bytes: paths sorted with strcmp, every time 1980-01-01 00:00 (the
 * first DOS date), every file 0644, no extra fields, no comment. So the
 * same sources give the same bytes and the same source_code_hash, and
 * Terraform updates the function exactly when the code changed.
 *
 * Tests and caches are left out: directories named tests or __pycache__,
 * files named test_*.py or *.pyc, and names starting with '.'. A link or
 * any other non-regular file in the tree is an error: what it points to
 * would depend on the machine that generates. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include "run.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

/* Where the functions are (core/engine/CMakeLists.txt sets all three). */
#ifndef PAYGEN_FUNCTIONS_RELDIR /* from libpaygen's directory */
#define PAYGEN_FUNCTIONS_RELDIR "../share/paygen/functions"
#endif
#ifndef PAYGEN_SOURCE_FUNCTIONS /* the source tree's, for a build tree */
#define PAYGEN_SOURCE_FUNCTIONS ""
#endif
#ifndef PAYGEN_DATA_FUNCTIONS /* the configured install path */
#define PAYGEN_DATA_FUNCTIONS "/usr/share/paygen/functions"
#endif

/* Lambda takes at most 50 MB zipped when the package is uploaded directly
 * (CreateFunction ZipFile), as the provider does with filename:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * This also keeps every offset far from the 32-bit limit of a ZIP without
 * the ZIP64 extension. */
#define PACKAGE_MAX (50u * 1024 * 1024)
#define DIR_DEPTH_MAX 16

typedef struct entry {
    char *path;               /* relative, '/'-separated */
    unsigned char *data;
    size_t size;
} entry;

typedef struct entries {
    entry *items;
    size_t count, cap;
    size_t total;             /* bytes read so far */
} entries;

typedef struct buffer {
    unsigned char *data;
    size_t len, cap;
} buffer;

/* ----- CRC-32 (ISO-HDLC, reflected 0xEDB88320), as APPNOTE 4.4.7 asks */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    static int ready;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = 1;
    }
    uint32_t c = 0xFFFFFFFFu;
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* ----- the archive */

static void put(buffer *b, const void *data, size_t n)
{
    pg_grow(&b->data, &b->cap, b->len + n, 1);
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void put16(buffer *b, uint32_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(b, x, 2);
}

static void put32(buffer *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(b, x, 4);
}

#define ZIP_VERSION_NEEDED 10u       /* 1.0: stored data only */
#define ZIP_MADE_BY (3u << 8 | 20u)  /* UNIX (so the modes below count), 2.0 */
#define ZIP_DOS_TIME 0u              /* 00:00:00 */
#define ZIP_DOS_DATE (1u << 5 | 1u)  /* 1980-01-01: year 0 from 1980, month 1, day 1 */
/* Regular file, rw-r--r--, in the high half: Lambda needs code world-
 * readable (644 for Python files; "permission denied" otherwise):
 * https://repost.aws/knowledge-center/lambda-deployment-package-errors */
#define ZIP_FILE_MODE (0100644u << 16)

/* The fields local and central headers share (APPNOTE 4.3.7, 4.3.12). */
static void put_common(buffer *b, const entry *e, uint32_t crc)
{
    put16(b, ZIP_VERSION_NEEDED);
    put16(b, 0);            /* flags: no data descriptor, no encryption */
    put16(b, 0);            /* method: stored */
    put16(b, ZIP_DOS_TIME);
    put16(b, ZIP_DOS_DATE);
    put32(b, crc);
    put32(b, (uint32_t)e->size); /* compressed size: stored, the same */
    put32(b, (uint32_t)e->size);
    put16(b, (uint32_t)strlen(e->path));
    put16(b, 0);            /* extra field length */
}

static void zip_entries(buffer *b, const entries *list)
{
    uint32_t *offsets = pg_xcalloc(list->count + 1, sizeof *offsets);
    uint32_t *crcs = pg_xcalloc(list->count + 1, sizeof *crcs);
    for (size_t i = 0; i < list->count; i++) {
        const entry *e = &list->items[i];
        offsets[i] = (uint32_t)b->len;
        crcs[i] = crc32_of(e->data, e->size);
        put32(b, 0x04034b50u); /* local file header */
        put_common(b, e, crcs[i]);
        put(b, e->path, strlen(e->path));
        put(b, e->data, e->size);
    }
    uint32_t central = (uint32_t)b->len;
    for (size_t i = 0; i < list->count; i++) {
        const entry *e = &list->items[i];
        put32(b, 0x02014b50u); /* central directory header */
        put16(b, ZIP_MADE_BY);
        put_common(b, e, crcs[i]);
        put16(b, 0);           /* comment length */
        put16(b, 0);           /* disk number start */
        put16(b, 0);           /* internal attributes: binary */
        put32(b, ZIP_FILE_MODE);
        put32(b, offsets[i]);
        put(b, e->path, strlen(e->path));
    }
    uint32_t central_size = (uint32_t)b->len - central;
    put32(b, 0x06054b50u);     /* end of central directory */
    put16(b, 0);               /* this disk */
    put16(b, 0);               /* the disk with the central directory */
    put16(b, (uint32_t)list->count);
    put16(b, (uint32_t)list->count);
    put32(b, central_size);
    put32(b, central);
    put16(b, 0);               /* comment length */
    free(offsets);
    free(crcs);
}

/* ----- reading the function's tree */

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

/* Not part of a package: hidden files, tests and Python caches. */
static bool left_out(const char *name, bool is_dir)
{
    if (name[0] == '.')
        return true;
    if (is_dir)
        return !strcmp(name, "tests") || !strcmp(name, "__pycache__");
    return (pg_str_starts_with(name, "test_") && ends_with(name, ".py")) || ends_with(name, ".pyc");
}

static bool want_name(int dir, const char *name, const void *arg)
{
    (void)dir;
    (void)arg;
    return strcmp(name, ".") && strcmp(name, "..");
}

static int read_file(int dir, const char *name, const char *shown, entries *list, const char *path,
                     pg_errors *err)
{
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        pg_errors_add(err, "%s: cannot read: %s", shown, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > PACKAGE_MAX - list->total) {
        close(fd);
        pg_errors_add(err, "%s: the package's files would exceed Lambda's %u MB for a .zip "
                           "uploaded directly", shown, PACKAGE_MAX / (1024 * 1024));
        return -1;
    }
    size_t size = (size_t)st.st_size, got = 0;
    unsigned char *data = pg_xmalloc(size + 1);
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    int saved = errno;
    close(fd);
    if (got != size) {
        free(data);
        pg_errors_add(err, "%s: cannot read: %s", shown, got < size ? "changed while read" : strerror(saved));
        return -1;
    }
    pg_grow(&list->items, &list->cap, list->count + 1, sizeof *list->items);
    list->items[list->count++] = (entry){pg_xstrdup(path), data, size};
    list->total += size;
    return 0;
}

/* Adds the files below the directory fd (taken: closed here); prefix is
 * their path in the archive ("" or "lib/"), shown the directory's path. */
static int walk(int fd, const char *prefix, const char *shown, entries *list, int depth,
                pg_errors *err)
{
    if (depth > DIR_DEPTH_MAX) {
        close(fd);
        pg_errors_add(err, "%s: more than %d directories deep", shown, DIR_DEPTH_MAX);
        return -1;
    }
    int dir = dup(fd); /* pg_sorted_names takes fd */
    char **names = NULL;
    size_t n = 0;
    if (dir < 0 || pg_sorted_names(fd, want_name, NULL, &names, &n) != 0) {
        pg_errors_add(err, "%s: cannot list: %s", shown, strerror(errno));
        if (dir >= 0)
            close(dir);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = pg_xasprintf("%s%s", prefix, names[i]);
        char *where = pg_xasprintf("%s/%s", shown, names[i]);
        struct stat st;
        if (rc != 0) {
            /* only freeing below */
        } else if (fstatat(dir, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            pg_errors_add(err, "%s: %s", where, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            if (!left_out(names[i], true)) {
                int sub = openat(dir, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                char *sub_prefix = pg_xasprintf("%s/", path);
                if (sub < 0) {
                    pg_errors_add(err, "%s: cannot open: %s", where, strerror(errno));
                    rc = -1;
                } else {
                    rc = walk(sub, sub_prefix, where, list, depth + 1, err);
                }
                free(sub_prefix);
            }
        } else if (!S_ISREG(st.st_mode)) {
            pg_errors_add(err, "%s: not a regular file or directory (a link?): a function package "
                               "holds files only", where);
            rc = -1;
        } else if (!left_out(names[i], false)) {
            rc = read_file(dir, names[i], where, list, path, err);
        }
        free(where);
        free(path);
        free(names[i]);
    }
    free(names);
    close(dir);
    return rc;
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* Function names are directory names paygen chooses: no path tricks. */
static bool valid_name(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return path[0] && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of the libpaygen that runs (malloc'ed), or NULL: data that
 * ships beside it (functions, the test plugins) is found from there. */
char *pg_own_libdir(void)
{
    Dl_info info;
    char real[PATH_MAX];
    if (!dladdr((const void *)pg_stack_names, &info) || !info.dli_fname ||
        !realpath(info.dli_fname, real))
        return NULL;
    char *slash = strrchr(real, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return pg_xstrdup(real);
}

/* The functions directory: beside an installed libpaygen first (any prefix,
 * an unpacked package), then the source tree (a build tree), then the
 * configured install path. NULL when none exists (malloc'ed). */
char *pg_functions_dir(void)
{
    char *libdir = pg_own_libdir();
    if (libdir) {
        char *beside = pg_xasprintf("%s/%s", libdir, PAYGEN_FUNCTIONS_RELDIR);
        free(libdir);
        char real[PATH_MAX];
        if (is_dir(beside) && realpath(beside, real)) {
            free(beside);
            return pg_xstrdup(real);
        }
        free(beside);
    }
    if (is_dir(PAYGEN_SOURCE_FUNCTIONS))
        return pg_xstrdup(PAYGEN_SOURCE_FUNCTIONS);
    if (is_dir(PAYGEN_DATA_FUNCTIONS))
        return pg_xstrdup(PAYGEN_DATA_FUNCTIONS);
    return NULL;
}

int pg_package_zip(const char *dir, unsigned char **zip, size_t *size, pg_errors *err)
{
    *zip = NULL;
    *size = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        pg_errors_add(err, "%s: %s", dir, strerror(errno));
        return -1;
    }
    entries list = {0};
    int rc = walk(fd, "", dir, &list, 0, err);
    if (rc == 0 && list.count == 0) {
        pg_errors_add(err, "%s: no files to package", dir);
        rc = -1;
    }
    if (rc == 0 && list.count > 0xFFFF) {
        pg_errors_add(err, "%s: more than 65535 files", dir);
        rc = -1;
    }
    if (rc == 0) {
        pg_sort(list.items, list.count, sizeof *list.items, cmp_entries);
        buffer b = {0};
        zip_entries(&b, &list);
        *zip = b.data;
        *size = b.len;
    }
    for (size_t i = 0; i < list.count; i++) {
        free(list.items[i].path);
        free(list.items[i].data);
    }
    free(list.items);
    return rc;
}

/* Standard base64 with padding, as Terraform's filebase64sha256() gives. */
static char *base64(const unsigned char *p, size_t n)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = pg_xmalloc((n + 2) / 3 * 4 + 1), *o = s;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        *o++ = set[v >> 18 & 63];
        *o++ = set[v >> 12 & 63];
        *o++ = i + 1 < n ? set[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? set[v & 63] : '=';
    }
    *o = '\0';
    return s;
}

char *pg_package_hash(const unsigned char *zip, size_t size)
{
    char hex[PG_SHA256_HEX];
    pg_sha256_bytes(zip, size, hex);
    unsigned char raw[32];
    for (size_t i = 0; i < 32; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo = (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        raw[i] = (unsigned char)(hi << 4 | lo);
    }
    return base64(raw, sizeof raw);
}

int pg_function_package(pg_out *out, const char *name, pg_package *package)
{
    *package = (pg_package){"", ""};
    if (!valid_name(name))
        return pg_fail(out, "function package '%s': a name is 1-64 of a-z 0-9 _ -",
                       name ? name : "(null)");
    const char *file = pg_printf(out, "%s.zip", name);
    for (const pg_package_file *p = out->packages; p; p = p->next)
        if (p->stack == out->current && !strcmp(p->name, file)) {
            *package = p->package;
            return 0;
        }
    char *root = pg_functions_dir();
    if (!root)
        return pg_fail(out, "function package '%s': no functions directory (looked beside "
                            "libpaygen in %s, in %s and in %s)", name, PAYGEN_FUNCTIONS_RELDIR,
                       *PAYGEN_SOURCE_FUNCTIONS ? PAYGEN_SOURCE_FUNCTIONS : "(no source tree)",
                       PAYGEN_DATA_FUNCTIONS);
    char *dir = pg_xasprintf("%s/%s", root, name);
    free(root);
    if (!is_dir(dir)) {
        int rc = pg_fail(out, "function package '%s': %s is not a directory: the function is "
                              "not installed", name, dir);
        free(dir);
        return rc;
    }
    unsigned char *zip;
    size_t size;
    pg_errors why = {0};
    int rc = pg_package_zip(dir, &zip, &size, &why);
    for (size_t i = 0; i < why.count; i++)
        pg_error(out, "function package '%s': %s", name, why.messages[i]);
    pg_errors_free(&why);
    free(dir);
    if (rc != 0)
        return -1;
    /* Kept until the run ends: the arena frees what it is given. */
    pg_package_file *p = pg_xcalloc(1, sizeof *p);
    pg_arena_keep(&out->arena, (char *)p);
    pg_arena_keep(&out->arena, (char *)zip);
    *p = (pg_package_file){
        .stack = out->current,
        .name = file,
        .data = zip,
        .size = size,
        .package = {pg_printf(out, "${path.module}/functions/%s", file),
                    pg_arena_keep(&out->arena, pg_package_hash(zip, size))},
        .next = out->packages,
    };
    out->packages = p;
    *package = p->package;
    return 0;
}
