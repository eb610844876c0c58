/* SPDX-License-Identifier: Apache-2.0 */
/* trust.c - which plugin files paygen is willing to run.
 *
 * Loading a plugin runs its code with the rights of whoever generates, on
 * build agents that hold the keys of a PCI platform. Two guards:
 *
 *  - Permissions, as OpenSSH's StrictModes: the plugin file and every
 *    directory above it must be owned by root or by the user running paygen,
 *    and writable by nobody else. A world-writable directory with the sticky
 *    bit owned by root (/tmp) is accepted above the plugin's own directory:
 *    nobody else can rename or replace what lies in it.
 *  - The lock file (paygen.lock), as Terraform's .terraform.lock.hcl pins
 *    providers: the name, version and sha256 of every plugin a team reviewed.
 *    With a lock file, a plugin missing from it, missing from disk, or whose
 *    file hashes differently is refused before any plugin runs. */
#include "trust.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h" /* pg_read_text */
#include "sha256.h"

static char *mode_problem(const char *path, const struct stat *st, bool sticky_ok)
{
    uid_t me = geteuid();
    if (st->st_uid != 0 && st->st_uid != me)
        return pg_xasprintf("%s is owned by uid %u, neither root nor the user running paygen",
                            path, (unsigned)st->st_uid);
    if (sticky_ok && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && st->st_uid == 0)
        return NULL;
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return pg_xasprintf("%s is %s-writable (mode %04o)", path,
                            st->st_mode & S_IWOTH ? "world" : "group",
                            (unsigned)(st->st_mode & 07777));
    return NULL;
}

char *pg_trust_path(const char *plugin_path, char **trusted_dir)
{
    char real[PATH_MAX];
    if (!realpath(plugin_path, real))
        return pg_xasprintf("%s: %s", plugin_path, strerror(errno));
    struct stat st;
    if (stat(real, &st) != 0)
        return pg_xasprintf("%s: %s", real, strerror(errno));
    char *problem = mode_problem(real, &st, false);
    char *slash = strrchr(real, '/');
    *slash = '\0'; /* realpath is absolute: there is one */
    const char *dir = slash == real ? "/" : real;
    if (problem || (*trusted_dir && !strcmp(*trusted_dir, dir)))
        return problem; /* the plugins of one directory share its verdict */
    /* Then each directory up to the root. The plugin's own directory may not
     * be a shared sticky one: anyone could drop a plugin there. */
    char *walk = pg_xstrdup(dir);
    for (int depth = 0; !problem; depth++) {
        if (stat(walk, &st) != 0) {
            problem = pg_xasprintf("%s: %s", walk, strerror(errno));
            break;
        }
        problem = mode_problem(walk, &st, depth > 0);
        if (!strcmp(walk, "/"))
            break;
        char *up = strrchr(walk, '/');
        if (up == walk)
            up[1] = '\0';
        else
            *up = '\0';
    }
    free(walk);
    if (!problem) {
        free(*trusted_dir);
        *trusted_dir = pg_xstrdup(dir);
    }
    return problem;
}

/* ------------------------------------------------------------ lock file */

int pg_lock_read(pg_lock *lock, const char *path, pg_errors *err)
{
    *lock = (pg_lock){0};
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 0; /* no lock file: nothing to check */
    char *text = pg_read_text(path, err);
    if (!text)
        return -1;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(doc, "plugins");
    if (!cJSON_IsObject(plugins)) {
        pg_errors_add(err, "%s: not a paygen lock file (expected {\"plugins\": {...}}); "
                           "write one with 'paygen plugins --lock'",
                      path);
        cJSON_Delete(doc);
        return -1;
    }
    lock->present = true;
    lock->path = pg_xstrdup(path);
    lock->doc = doc;
    const cJSON *p;
    cJSON_ArrayForEach(p, plugins)
    {
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(p, "sha256");
        if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64) {
            pg_errors_add(err, "%s: plugin '%s' has no sha256 of 64 hex digits", path, p->string);
            return -1;
        }
    }
    return 0;
}

static const cJSON *locked(const pg_lock *lock, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(lock->doc, "plugins"),
                                            name);
}

int pg_lock_check(const pg_lock *lock, const pg_plugin_set *set, pg_errors *err)
{
    if (!lock->present)
        return 0;
    size_t before = err->count;
    for (size_t i = 0; i < set->count; i++) {
        const pg_loaded *l = &set->items[i];
        if (l->status != PG_PLUGIN_OK || !l->handle)
            continue;
        const cJSON *entry = locked(lock, l->vt->name);
        const char *want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "sha256"));
        if (!entry)
            pg_errors_add(err, "plugin %s (%s) is not in the lock file %s: review it, then run "
                               "'paygen plugins --lock'",
                          l->vt->name, l->path, lock->path);
        else if (strcmp(want, l->sha256))
            pg_errors_add(err, "plugin %s (%s) has sha256 %s, but the lock file %s pins %s",
                          l->vt->name, l->path, l->sha256, lock->path, want);
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(lock->doc, "plugins"))
    {
        bool found = false;
        for (size_t i = 0; i < set->count && !found; i++)
            found = set->items[i].status == PG_PLUGIN_OK && set->items[i].handle &&
                    !strcmp(set->items[i].vt->name, p->string);
        if (!found)
            pg_errors_add(err, "plugin %s is pinned by the lock file %s but was not found",
                          p->string, lock->path);
    }
    return err->count > before ? -1 : 0;
}

cJSON *pg_lock_build(const pg_plugin_set *set)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "//", "paygen plugin lock: written by 'paygen plugins --lock'; "
                                       "generate refuses plugins not pinned here");
    cJSON *plugins = cJSON_AddObjectToObject(doc, "plugins");
    for (size_t i = 0; i < set->count; i++) {
        const pg_loaded *l = &set->items[i];
        if (l->status != PG_PLUGIN_OK || !l->handle)
            continue;
        cJSON *p = cJSON_AddObjectToObject(plugins, l->vt->name);
        cJSON_AddStringToObject(p, "version", l->vt->version ? l->vt->version : "");
        cJSON_AddStringToObject(p, "sha256", l->sha256);
    }
    return doc;
}

void pg_lock_free(pg_lock *lock)
{
    cJSON_Delete(lock->doc);
    free(lock->path);
    *lock = (pg_lock){0};
}
