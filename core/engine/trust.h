/* SPDX-License-Identifier: Apache-2.0 */
/* trust.h - plugin file permissions (StrictModes) and the plugin lock file. */
#ifndef PG_TRUST_H
#define PG_TRUST_H

#include "run.h"

/* Why the plugin file at path must not be loaded (malloc'ed), or NULL.
 * *trusted_dir remembers the last directory found sound (malloc'ed; NULL
 * at first), so the plugins of one directory check its chain once. */
char *pg_trust_path(const char *plugin_path, char **trusted_dir);

typedef struct pg_lock {
    bool present;
    char *path;
    cJSON *doc;               /* {"plugins": {"kms": {"version", "sha256"}}} */
} pg_lock;

/* Reads path; a missing file is no lock (present false). */
int pg_lock_read(pg_lock *lock, const char *path, pg_errors *err);
/* Every loaded plugin pinned with its hash, every pinned plugin loaded. */
int pg_lock_check(const pg_lock *lock, const pg_plugin_set *set, pg_errors *err);
/* The lock of the loaded plugins (paygen plugins --lock). */
cJSON *pg_lock_build(const pg_plugin_set *set);
void pg_lock_free(pg_lock *lock);

#endif
