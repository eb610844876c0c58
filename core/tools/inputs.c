/* SPDX-License-Identifier: Apache-2.0 */
/* inputs.c - finding, opening and parsing generated documents.
 *
 * What validate, check and diff read must be what Terraform applies, and
 * reading must not be turned against the agent:
 *  - the manifest's paths are the ones paygen writes (stacks/NAME/cdk.tf.json),
 *    opened below the output directory without following a symlink;
 *  - only regular files of bounded size are read (no /dev/zero, no FIFO);
 *  - a stack directory holds no other file Terraform would load with it;
 *  - a document with a duplicate key is refused (dupkeys.c). */
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dupkeys.h"

/* ----- parsing */

/* A "\u0000" escape: cJSON ends the C string there, Terraform keeps the rest. */
static const char *nul_escape(const char *text)
{
    for (const char *p = text; (p = strstr(p, "\\u0000")); p++) {
        size_t backslashes = 0;
        while (p - backslashes > text && p[-(ptrdiff_t)backslashes - 1] == '\\')
            backslashes++;
        if (backslashes % 2 == 0)
            return p;
    }
    return NULL;
}

static void line_col(const char *text, const char *at, size_t *line, size_t *col)
{
    *line = *col = 1;
    for (const char *p = text; at && p < at && *p; p++) {
        if (*p == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

cJSON *pg_parse_json_file(const char *file, const char *text, pg_errors *err)
{
    const char *end = NULL;
    size_t line, col;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, true);
    if (!doc) {
        line_col(text, end, &line, &col);
        pg_errors_add(err, "%s:%zu:%zu: not valid JSON", file, line, col);
        return NULL;
    }
    const char *nul = nul_escape(text);
    if (nul) {
        line_col(text, nul, &line, &col);
        pg_errors_add(err, "%s:%zu:%zu: a \\u0000 in a string: paygen's tools would read it cut short "
                           "where Terraform does not; paygen never writes one",
                      file, line, col);
    }
    if (pg_dupkeys_report(doc, file, err) || nul) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ----- reading one file */

static const char *kind_of(mode_t mode)
{
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

static bool refuse_stat(const struct stat *st, const char *shown, pg_errors *err)
{
    if (!S_ISREG(st->st_mode)) {
        pg_errors_add(err, "%s: is %s; only regular files are read", shown, kind_of(st->st_mode));
        return true;
    }
    if (st->st_size > PG_INPUT_MAX_BYTES) {
        pg_errors_add(err, "%s: %lld bytes; a document is at most %d MiB", shown, (long long)st->st_size,
                      (int)(PG_INPUT_MAX_BYTES >> 20));
        return true;
    }
    return false;
}

/* name below dir (AT_FDCWD: as given), a regular file of at most
 * PG_INPUT_MAX_BYTES, as text; a symlink is refused unless follow. Looked
 * at before it is opened (opening a device or FIFO can block or act), and
 * again once open (it may have been swapped in between). */
static char *read_regular(int dir, const char *name, const char *shown, bool follow, pg_errors *err)
{
    struct stat st;
    if (fstatat(dir, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0) {
        pg_errors_add(err, "%s: cannot read: %s", shown, strerror(errno));
        return NULL;
    }
    if (refuse_stat(&st, shown, err))
        return NULL;
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
    if (fd < 0 || fstat(fd, &st) != 0) {
        pg_errors_add(err, "%s: cannot read: %s", shown, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (refuse_stat(&st, shown, err)) {
        close(fd);
        return NULL;
    }
    /* The size fstat gave, plus a byte to notice a file that grows. */
    size_t limit = (size_t)PG_INPUT_MAX_BYTES + 1, cap = (size_t)st.st_size + 1, n = 0;
    char *buf = pg_xmalloc(cap + 1);
    ssize_t got = 0;
    while (n < limit) {
        if (n == cap) {
            cap = cap * 2 < limit ? cap * 2 : limit;
            buf = pg_xrealloc(buf, cap + 1);
        }
        got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    const char *problem = got < 0 ? strerror(errno)
                          : n == limit ? "grew past the size limit while it was read"
                          : memchr(buf, '\0', n) ? "holds a NUL byte: not JSON text"
                                                 : NULL;
    close(fd);
    if (problem) {
        pg_errors_add(err, "%s: %s%s", shown, got < 0 ? "cannot read: " : "", problem);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static cJSON *load(int dir, const char *name, const char *shown, bool follow, pg_errors *err)
{
    char *text = read_regular(dir, name, shown, follow, err);
    if (!text)
        return NULL;
    cJSON *doc = pg_parse_json_file(shown, text, err);
    free(text);
    return doc;
}

/* ----- what else Terraform would read */

/* Files Terraform loads from a stack directory besides cdk.tf.json: every
 * *.tf and *.tf.json, override files among them (override.tf,
 * *_override.tf.json; https://developer.hashicorp.com/terraform/language/files
 * and .../language/files/override), and in a root module the variable files
 * it loads automatically: terraform.tfvars(.json), *.auto.tfvars(.json)
 * (https://developer.hashicorp.com/terraform/language/values/variables,
 * "Variable Definitions (.tfvars) Files"). OpenTofu reads *.tofu(.json) too.
 * Other names that say override are refused as well: paygen writes none. */
static bool terraform_loads(const char *name)
{
    static const char *const suffixes[] = {".tf", ".tf.json", ".tofu", ".tofu.json", ".auto.tfvars",
                                           ".auto.tfvars.json"};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t n = strlen(suffixes[i]);
        if (len >= n && !strcmp(name + len - n, suffixes[i]))
            return true;
    }
    return !strcmp(name, "terraform.tfvars") || !strcmp(name, "terraform.tfvars.json") ||
           pg_str_starts_with(name, "override.") || strstr(name, "_override.") ||
           strstr(name, ".tf.override");
}

static bool loaded_besides(int dir, const char *name, const void *keep)
{
    (void)dir;
    return strcmp(name, keep) && terraform_loads(name);
}

/* Every file of the directory dir (shown as shown) that Terraform would
 * load with keep is an error, named. */
static int check_stack_dir(int dir, const char *shown, const char *keep, pg_errors *err)
{
    char **names;
    size_t n;
    if (pg_sorted_names(dup(dir), loaded_besides, keep, &names, &n) != 0) {
        pg_errors_add(err, "%s: cannot list: %s", shown, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        pg_errors_add(err, "%s/%s: not written by paygen, and Terraform would apply it with %s: remove it",
                      shown, names[i], keep);
        free(names[i]);
    }
    free(names);
    return n ? -1 : 0;
}

/* ----- the documents */

static int manifest_protection(const cJSON *manifest)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "profile"),
                                                      "protection");
    return cJSON_IsBool(p) ? cJSON_IsTrue(p) : -1;
}

static cJSON *manifest_waivers(const cJSON *manifest)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "profile"),
                                                      "waivers");
    return cJSON_IsArray(w) ? cJSON_Duplicate(w, true) : NULL;
}

static void add_doc(pg_inputs *in, const char *file, char *stack, cJSON *doc, const cJSON *manifest)
{
    pg_grow(&in->items, &in->cap, in->count + 1, sizeof *in->items);
    in->items[in->count++] = (pg_input_doc){pg_xstrdup(file), stack, doc, manifest_protection(manifest),
                                            manifest_waivers(manifest)};
}

/* paygen's stack names: letters, digits, '_' and '-' (no "..", no "/"). */
static bool stack_name_ok(const char *name)
{
    size_t n = 0;
    for (; name[n]; n++)
        if (!(name[n] == '_' || name[n] == '-' || (name[n] >= '0' && name[n] <= '9') ||
              (name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z')))
            return false;
    return n > 0 && n <= 64;
}

/* A manifest entry names its files exactly as paygen writes them: nothing
 * else (an absolute path, "..", another file) is ever read. */
static int manifest_stack_ok(const char *shown, const cJSON *s, pg_errors *err)
{
    if (!s->string || !stack_name_ok(s->string)) {
        pg_errors_add(err, "%s: a stack name holds characters other than letters, digits, '_' and '-'",
                      shown);
        return -1;
    }
    static const char *const fields[] = {"synthesizedStackPath", "workingDirectory"};
    int rc = 0;
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, fields[i]);
        char *want = pg_xasprintf(i == 0 ? "stacks/%s/cdk.tf.json" : "stacks/%s", s->string);
        if (v && !(cJSON_IsString(v) && !strcmp(v->valuestring, want))) {
            pg_errors_add(err, "%s: stacks.%s.%s must be \"%s\": paygen reads no other path", shown,
                          s->string, fields[i], want);
            rc = -1;
        }
        free(want);
    }
    return rc;
}

/* dir/stacks/name/cdk.tf.json, each directory below root opened without
 * following a symlink, after the stack directory is checked. */
static int add_stack(pg_inputs *in, int root, const char *dir, const char *name, const cJSON *manifest,
                     pg_errors *err)
{
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    char *sdir = pg_xasprintf("%s/stacks/%s", dir, name), *file = pg_xasprintf("%s/cdk.tf.json", sdir);
    int stacks = openat(root, "stacks", flags);
    int fd = stacks >= 0 ? openat(stacks, name, flags) : -1;
    int rc = -1;
    if (fd < 0) {
        const char *what = errno == ELOOP || errno == ENOTDIR ? "is a symbolic link or not a directory"
                                                              : strerror(errno);
        if (stacks < 0)
            pg_errors_add(err, "%s/stacks: %s", dir, what);
        else
            pg_errors_add(err, "%s: %s", sdir, what);
    } else {
        rc = check_stack_dir(fd, sdir, "cdk.tf.json", err);
        cJSON *doc = load(fd, "cdk.tf.json", file, false, err);
        if (doc && rc == 0)
            add_doc(in, file, pg_xstrdup(name), doc, manifest);
        else
            cJSON_Delete(doc);
        rc = doc ? rc : -1;
    }
    if (rc != 0)
        in->refused++;
    if (fd >= 0)
        close(fd);
    if (stacks >= 0)
        close(stacks);
    free(file);
    free(sdir);
    return rc;
}

static bool holds_stack(int dir, const char *name, const void *unused)
{
    (void)unused;
    if (!stack_name_ok(name))
        return false;
    struct stat st;
    char *file = pg_xasprintf("%s/cdk.tf.json", name);
    bool found = fstatat(dir, file, &st, AT_SYMLINK_NOFOLLOW) == 0;
    free(file);
    return found;
}

/* Without a manifest: every stacks/NAME that holds a cdk.tf.json. */
static int add_found_stacks(pg_inputs *in, int root, const char *dir, pg_errors *err)
{
    char **names;
    size_t n;
    if (pg_sorted_names(openat(root, "stacks", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), holds_stack, NULL,
                     &names, &n) != 0)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        rc |= add_stack(in, root, dir, names[i], NULL, err);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int add_dir(pg_inputs *in, const char *dir, pg_errors *err)
{
    int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        pg_errors_add(err, "%s: cannot read: %s", dir, strerror(errno));
        return -1;
    }
    char *mshown = pg_xasprintf("%s/manifest.json", dir);
    struct stat st;
    bool has_manifest = fstatat(root, "manifest.json", &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
    cJSON *manifest = has_manifest ? load(root, "manifest.json", mshown, false, err) : NULL;
    const cJSON *stacks = cJSON_GetObjectItemCaseSensitive(manifest, "stacks");
    int rc = has_manifest && !manifest ? -1 : 0;
    size_t before = in->count;
    if (manifest && !cJSON_IsObject(stacks)) {
        pg_errors_add(err, "%s: no \"stacks\" object", mshown);
        rc = -1;
    }
    const cJSON *s, *listed = cJSON_IsObject(stacks) ? stacks : NULL;
    cJSON_ArrayForEach(s, listed)
    {
        if (manifest_stack_ok(mshown, s, err) != 0)
            rc = -1;
        else
            rc |= add_stack(in, root, dir, s->string, manifest, err);
    }
    if (!has_manifest)
        rc = add_found_stacks(in, root, dir, err);
    if (rc == 0 && in->count == before) {
        pg_errors_add(err, "%s: no manifest.json and no stacks/*/cdk.tf.json", dir);
        rc = -1;
    }
    cJSON_Delete(manifest);
    free(mshown);
    close(root);
    return rc ? -1 : 0;
}

/* One file as given: OUT/stacks/NAME/cdk.tf.json, or any document. Its
 * directory is checked like a stack directory; the manifest two levels up,
 * when there is one, gives protection and waivers. */
static int add_file(pg_inputs *in, const char *path, pg_errors *err)
{
    char *text = read_regular(AT_FDCWD, path, path, true, err);
    if (!text) {
        in->refused++;
        return -1;
    }
    cJSON *doc = pg_parse_json_file(path, text, err);
    free(text);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? pg_xasprintf("%.*s", (int)(slash - path), path) : pg_xstrdup(".");
    int fd = open(slash == path ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 ? check_stack_dir(fd, dir, slash ? slash + 1 : path, err) : -1;
    if (fd < 0)
        pg_errors_add(err, "%s: cannot list: %s", dir, strerror(errno));
    cJSON *manifest = NULL;
    if (fd >= 0) {
        pg_errors ignored = {0}; /* no manifest, or not paygen's: protection unknown */
        char *mshown = pg_xasprintf("%s/../../manifest.json", dir);
        manifest = load(fd, "../../manifest.json", mshown, false, &ignored);
        pg_errors_free(&ignored);
        free(mshown);
        close(fd);
    }
    if (doc && rc == 0) {
        const char *start = slash ? slash : path;
        while (start > path && start[-1] != '/')
            start--;
        char *stack = slash && start < slash ? pg_xasprintf("%.*s", (int)(slash - start), start)
                                             : pg_xstrdup("stack");
        add_doc(in, path, stack, doc, manifest);
    } else {
        cJSON_Delete(doc);
        rc = -1;
        in->refused++;
    }
    cJSON_Delete(manifest);
    free(dir);
    return rc;
}

int pg_inputs_add(pg_inputs *in, const char *path, pg_errors *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        pg_errors_add(err, "%s: no such file or directory", path);
        return -1;
    }
    return S_ISDIR(st.st_mode) ? add_dir(in, path, err) : add_file(in, path, err);
}

void pg_inputs_free(pg_inputs *in)
{
    for (size_t i = 0; i < in->count; i++) {
        free(in->items[i].file);
        free(in->items[i].stack);
        cJSON_Delete(in->items[i].doc);
        cJSON_Delete(in->items[i].waivers);
    }
    free(in->items);
    in->items = NULL;
    in->count = in->cap = in->refused = 0;
}
