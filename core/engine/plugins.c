/* SPDX-License-Identifier: Apache-2.0 */
/* plugins.c - finds plugins on the search path, checks their ABI, and orders
 * them by the namespaces they need and provide (SPEC D5). */
#include "run.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "trust.h"

#ifndef PAYGEN_PLUGIN_DIR
#define PAYGEN_PLUGIN_DIR "/usr/lib/paygen/plugins"
#endif
#ifndef PAYGEN_PLUGIN_RELDIR /* from the executable's directory */
#define PAYGEN_PLUGIN_RELDIR "../lib/paygen/plugins"
#endif

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir(char ***dirs, size_t *n, size_t *cap, const char *dir)
{
    if (!*dir)
        return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*dirs)[i], dir))
            return;
    pg_grow(dirs, cap, *n + 1, sizeof **dirs);
    (*dirs)[(*n)++] = pg_xstrdup(dir);
}

void pg_plugin_dirs_add(char ***dirs, size_t *n, size_t *cap, const char *list)
{
    char *copy = pg_xstrdup(list);
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
        add_dir(dirs, n, cap, d);
    free(copy);
}

size_t pg_plugin_search_path(char ***dirs, const char *const *explicit_dirs, size_t explicit_count)
{
    size_t n = 0, cap = 0;
    *dirs = NULL;
    for (size_t i = 0; i < explicit_count; i++)
        pg_plugin_dirs_add(dirs, &n, &cap, explicit_dirs[i]);
    const char *env = getenv("PAYGEN_PLUGIN_PATH");
    if (env)
        pg_plugin_dirs_add(dirs, &n, &cap, env);
    /* Straight from a build tree the plugins sit in plugins/ beside the
     * executable; an installed binary has no such folder. */
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        const char *bindir = dirname(exe);
        char *build = pg_xasprintf("%s/plugins", bindir);
        if (is_dir(build))
            add_dir(dirs, &n, &cap, build);
        free(build);
        /* An installed tree finds its own plugins wherever its prefix is
         * (cmake --install --prefix DIR, an unpacked package). */
        char *installed = pg_xasprintf("%s/%s", bindir, PAYGEN_PLUGIN_RELDIR);
        char real[PATH_MAX];
        if (is_dir(installed) && realpath(installed, real))
            add_dir(dirs, &n, &cap, real);
        free(installed);
    }
    add_dir(dirs, &n, &cap, PAYGEN_PLUGIN_DIR);
    return n;
}

static pg_loaded *add_item(pg_plugin_set *set, const char *path)
{
    pg_grow(&set->items, &set->cap, set->count + 1, sizeof *set->items);
    pg_loaded *l = &set->items[set->count++];
    *l = (pg_loaded){.path = pg_xstrdup(path)};
    return l;
}

static bool valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static size_t setting_size(pg_setting_type t)
{
    switch (t) {
    case PG_TYPE_INT: return sizeof(long);
    case PG_TYPE_BOOL: return sizeof(bool);
    case PG_TYPE_LIST: return sizeof(pg_list);
    default: return sizeof(const char *);
    }
}

/* Why a well-versioned descriptor cannot be used, or NULL. */
static char *descriptor_problem(const pg_plugin *vt)
{
    if (!valid_name(vt->name) || !vt->contribute)
        return pg_xstrdup("descriptor without a valid name ([a-z0-9_-], 1-32) or contribute()");
    if (!vt->license || !*vt->license)
        return pg_xasprintf("plugin '%s' declares no license (an SPDX identifier)", vt->name);
    for (const pg_publication *p = vt->publishes; p && p->name; p++) {
        const char *dot = strchr(p->name, '.');
        if (!dot || dot == p->name || !dot[1] || !strncmp(p->name, "aws.", 4) || p->name[0] == '*')
            return pg_xasprintf("plugin '%s' publishes '%s': a name is <namespace>.<name>, "
                                "outside the core's 'aws'",
                                vt->name, p->name);
    }
    for (const pg_setting *st = vt->settings; st && st->key; st++) {
        if (st->offset + setting_size(st->type) > vt->config_size)
            return pg_xasprintf("plugin '%s': setting '%s' lands outside its config struct "
                                "(offset %zu, config_size %zu)",
                                vt->name, st->key, st->offset, vt->config_size);
        if (st->type == PG_TYPE_CHOICE && (!st->choices || !*st->choices))
            return pg_xasprintf("plugin '%s': choice setting '%s' lists no choices", vt->name,
                                st->key);
    }
    return NULL;
}

/* The namespaces a plugin publishes in, from its publication names. */
static char **namespaces_of(const pg_plugin *vt)
{
    size_t n = 0;
    for (const pg_publication *p = vt->publishes; p && p->name; p++)
        n++;
    char **list = pg_xcalloc(n + 1, sizeof *list);
    size_t k = 0;
    for (const pg_publication *p = vt->publishes; p && p->name; p++) {
        char *ns = pg_xasprintf("%.*s", (int)strcspn(p->name, "."), p->name);
        bool seen = false;
        for (size_t i = 0; i < k && !seen; i++)
            seen = !strcmp(list[i], ns);
        if (seen)
            free(ns);
        else
            list[k++] = ns;
    }
    return list;
}

static void accept_vtable(pg_plugin_set *set, pg_loaded *l, const pg_plugin *vt)
{
    if (!vt) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xstrdup("paygen_plugin_entry() returned NULL");
        return;
    }
    if (vt->abi_major != PG_ABI_MAJOR || vt->abi_minor > PG_ABI_MINOR || vt->abi_minor < 0) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xasprintf("plugin '%s' speaks ABI %d.%d; this paygen speaks %d.%d "
                                  "(same major, minor up to %d)",
                                  vt->abi_major == PG_ABI_MAJOR && valid_name(vt->name) ? vt->name
                                                                                        : "?",
                                  vt->abi_major, vt->abi_minor, PG_ABI_MAJOR, PG_ABI_MINOR,
                                  PG_ABI_MINOR);
        return;
    }
    /* The fields of 2.0 are all required; a later minor appends, and the core
     * reads only the part a plugin's struct_size covers (zero beyond). */
    if (vt->struct_size < sizeof(pg_plugin)) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xasprintf("descriptor of %zu bytes is smaller than ABI %d.0's %zu",
                                  vt->struct_size, PG_ABI_MAJOR, sizeof(pg_plugin));
        return;
    }
    l->problem = descriptor_problem(vt);
    if (l->problem) {
        l->status = PG_PLUGIN_BROKEN;
        return;
    }
    pg_plugin *copy = pg_xcalloc(1, sizeof *copy);
    memcpy(copy, vt, sizeof *copy);
    l->vt = copy;
    l->provides = namespaces_of(copy);
    for (size_t i = 0; i + 1 < set->count; i++) {
        const pg_loaded *o = &set->items[i];
        if (o->vt && o->status == PG_PLUGIN_OK && !strcmp(o->vt->name, vt->name)) {
            l->status = PG_PLUGIN_SHADOWED;
            l->problem = pg_xasprintf("shadowed by %s", o->path);
            return;
        }
    }
    l->status = PG_PLUGIN_OK;
}

static bool is_plugin_file(int dir, const char *name, const void *unused)
{
    (void)dir, (void)unused;
    size_t len = strlen(name);
    return len > 3 && !strcmp(name + len - 3, ".so");
}

static void load_one(pg_plugin_set *set, const char *path)
{
    pg_loaded *l = add_item(set, path);
    char *distrust = set->allow_insecure ? NULL : pg_trust_path(path, &set->trusted_dir);
    if (distrust) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xasprintf("refused: %s; anyone who can write there can run code as you. "
                                  "Fix the permissions (chmod go-w, chown), or for development "
                                  "only set PAYGEN_INSECURE_PLUGINS=1",
                                  distrust);
        free(distrust);
        return;
    }
    if (pg_sha256_file(path, l->sha256) != 0) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xasprintf("cannot read: %s", strerror(errno));
        return;
    }
    dlerror();
    l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!l->handle) {
        const char *why = dlerror();
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xasprintf("cannot load: %s", why ? why : "unknown error");
        return;
    }
    void *sym = dlsym(l->handle, "paygen_plugin_entry");
    if (!sym) {
        l->status = PG_PLUGIN_BROKEN;
        l->problem = pg_xstrdup("not a paygen plugin: no paygen_plugin_entry symbol");
        return;
    }
    pg_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, POSIX-style */
    accept_vtable(set, l, entry());
}

void pg_plugins_discover(pg_plugin_set *set, char *const *dirs, size_t dir_count)
{
    for (size_t d = 0; d < dir_count; d++) {
        char **names;
        size_t n;
        /* sorted, so that runs agree whatever the file system's order (D4) */
        if (pg_sorted_names(open(dirs[d], O_RDONLY | O_DIRECTORY | O_CLOEXEC), is_plugin_file, NULL,
                            &names, &n) != 0)
            continue;
        for (size_t i = 0; i < n; i++) {
            char *path = pg_xasprintf("%s/%s", dirs[d], names[i]);
            load_one(set, path);
            free(path);
            free(names[i]);
        }
        free(names);
    }
}

void pg_plugins_add_static(pg_plugin_set *set, const pg_plugin *vt, const char *where)
{
    pg_loaded *l = add_item(set, where);
    accept_vtable(set, l, vt);
}

/* ------------------------------------------------------------- ordering */

static bool lists(const char *const *names, const char *name)
{
    for (; names && *names; names++)
        if (!strcmp(*names, name))
            return true;
    return false;
}

/* The plugin other than self that provides ns, or NULL (duplicates are
 * refused before ordering starts). */
static const pg_loaded *provider_of(pg_loaded *const *usable, size_t n, const char *ns,
                                    const pg_loaded *self)
{
    for (size_t i = 0; i < n; i++)
        if (usable[i] != self && lists((const char *const *)usable[i]->provides, ns))
            return usable[i];
    return NULL;
}

static int cmp_loaded(const void *a, const void *b)
{
    return strcmp((*(pg_loaded *const *)a)->vt->name, (*(pg_loaded *const *)b)->vt->name);
}

int pg_plugins_order(pg_plugin_set *set, pg_errors *err)
{
    size_t before = err->count;
    pg_loaded **usable = pg_xcalloc(set->count, sizeof *usable);
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++) {
        pg_loaded *l = &set->items[i];
        if (l->status == PG_PLUGIN_BROKEN)
            pg_errors_add(err, "%s: %s", l->path, l->problem);
        else if (l->status == PG_PLUGIN_OK)
            usable[n++] = l;
    }
    /* Sorted by name first, so ties in the dependency order break the same
     * way whatever order the plugins were found in (D4). */
    pg_sort(usable, n, sizeof *usable, cmp_loaded);
    for (size_t i = 0; i < n; i++)
        for (char **ns = usable[i]->provides; ns && *ns; ns++)
            for (size_t j = i + 1; j < n; j++)
                if (lists((const char *const *)usable[j]->provides, *ns))
                    pg_errors_add(err, "plugins %s and %s both provide '%s'", usable[i]->vt->name,
                                  usable[j]->vt->name, *ns);
    for (size_t i = 0; i < n; i++)
        for (const char *const *ns = usable[i]->vt->needs; ns && *ns; ns++)
            if (!lists((const char *const *)usable[i]->provides, *ns) &&
                !provider_of(usable, n, *ns, usable[i]))
                pg_errors_add(err, "plugin %s needs '%s', which no loaded plugin provides",
                              usable[i]->vt->name, *ns);
    if (err->count > before) {
        free(usable);
        return -1;
    }

    set->order = pg_xcalloc(n ? n : 1, sizeof *set->order);
    bool *done = pg_xcalloc(n ? n : 1, sizeof *done);
    while (set->order_count < n) {
        bool progressed = false;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            bool ready = true;
            for (const char *const *ns = usable[i]->vt->needs; ns && *ns && ready; ns++) {
                const pg_loaded *p = provider_of(usable, n, *ns, usable[i]);
                for (size_t j = 0; p && j < n; j++)
                    if (usable[j] == p && !done[j])
                        ready = false;
            }
            if (ready) {
                done[i] = true;
                set->order[set->order_count++] = usable[i];
                progressed = true;
                break; /* restart: always take the first ready plugin by name */
            }
        }
        if (!progressed) {
            /* Name one waiting plugin and the waiting plugin it waits on. */
            for (size_t i = 0; i < n; i++) {
                if (done[i])
                    continue;
                for (const char *const *ns = usable[i]->vt->needs; ns && *ns; ns++) {
                    const pg_loaded *p = provider_of(usable, n, *ns, usable[i]);
                    for (size_t j = 0; p && j < n; j++)
                        if (usable[j] == p && !done[j]) {
                            pg_errors_add(err,
                                          "plugins %s and %s need each other: a cycle through "
                                          "'%s' (%s needs it, %s provides it)",
                                          usable[i]->vt->name, p->vt->name, *ns,
                                          usable[i]->vt->name, p->vt->name);
                            free(done);
                            free(usable);
                            return -1;
                        }
                }
            }
        }
    }
    free(done);
    free(usable);
    /* Who provides each need, by place in the order: the run and --plugin
     * selection ask it without walking the namespaces again. */
    for (size_t i = 0; i < n; i++) {
        pg_loaded *l = set->order[i];
        size_t needs = 0;
        while (l->vt->needs && l->vt->needs[needs])
            needs++;
        free(l->provider_pos);
        l->provider_pos = pg_xcalloc(needs ? needs : 1, sizeof *l->provider_pos);
        for (size_t k = 0; k < needs; k++) {
            const pg_loaded *p = provider_of(set->order, n, l->vt->needs[k], l);
            l->provider_pos[k] = SIZE_MAX;
            for (size_t j = 0; p && j < i; j++)
                if (set->order[j] == p)
                    l->provider_pos[k] = j;
        }
    }
    return 0;
}

void pg_plugins_free(pg_plugin_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].path);
        free(set->items[i].problem);
        for (char **ns = set->items[i].provides; ns && *ns; ns++)
            free(*ns);
        free(set->items[i].provides);
        free(set->items[i].provider_pos);
        free((void *)set->items[i].vt);
        if (set->items[i].handle)
            dlclose(set->items[i].handle); /* after the context: it points into vtables */
    }
    free(set->items);
    free(set->order);
    free(set->trusted_dir);
    *set = (pg_plugin_set){0};
}
