/* SPDX-License-Identifier: Apache-2.0 */
/* schema.c - loading and indexing the provider schema.
 *
 * The parsed tree is kept as is; the resource and data source types are
 * indexed in sorted arrays so a lookup is a binary search. */
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pg_schema_type {
    const char *name;
    const cJSON *block;
} pg_schema_type;

typedef struct pg_schema_index {
    pg_schema_type *items;
    size_t count;
} pg_schema_index;

struct pg_schema {
    cJSON *root;
    cJSON *builtins;
    pg_schema_index types[2]; /* [0] resources, [1] data sources */
};

/* Terraform's own types: never in a provider schema, always available. */
static const char builtin_json[] =
    "{\"resource\":{\"terraform_data\":{\"attributes\":{"
    "\"id\":{\"type\":\"string\",\"computed\":true},"
    "\"input\":{\"type\":\"dynamic\",\"optional\":true},"
    "\"output\":{\"type\":\"dynamic\",\"computed\":true},"
    "\"triggers_replace\":{\"type\":\"dynamic\",\"optional\":true}}}},"
    "\"data\":{\"terraform_remote_state\":{\"attributes\":{"
    "\"backend\":{\"type\":\"string\",\"required\":true},"
    "\"config\":{\"type\":\"dynamic\",\"optional\":true},"
    "\"defaults\":{\"type\":\"dynamic\",\"optional\":true},"
    "\"outputs\":{\"type\":\"dynamic\",\"computed\":true},"
    "\"workspace\":{\"type\":\"string\",\"optional\":true}}}}}";

cJSON *pg_schema_builtins(void)
{
    return cJSON_Parse(builtin_json);
}

const cJSON *pg_schema_builtin_block(const cJSON *builtins, bool data, const char *type)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(builtins, data ? "data" : "resource"),
                                            type);
}

bool pg_schema_is_builtin(bool data, const char *type)
{
    return !strcmp(type, data ? "terraform_remote_state" : "terraform_data");
}

char *pg_read_text(const char *path, pg_errors *err)
{
    size_t len = strlen(path);
    bool gz = len > 3 && !strcmp(path + len - 3, ".gz");
    FILE *f;
    if (gz) {
        FILE *probe = fopen(path, "rb");
        if (!probe) {
            pg_errors_add(err, "%s: cannot read: %s", path, strerror(errno));
            return NULL;
        }
        fclose(probe);
        char *quoted = pg_xasprintf("gzip -dc '%s'", path);
        for (const char *p = path; *p; p++)
            if (*p == '\'') {
                pg_errors_add(err, "%s: cannot read a .gz file whose name holds a quote", path);
                free(quoted);
                return NULL;
            }
        f = popen(quoted, "r");
        free(quoted);
    } else {
        f = fopen(path, "rb");
    }
    if (!f) {
        pg_errors_add(err, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = pg_xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = pg_xrealloc(buf, cap);
        }
    }
    bool failed = ferror(f);
    int status = gz ? pclose(f) : fclose(f);
    if (failed || status != 0) {
        pg_errors_add(err, "%s: cannot read%s", path, gz ? " (gzip -dc failed)" : "");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int cmp_type(const void *a, const void *b)
{
    return strcmp(((const pg_schema_type *)a)->name, ((const pg_schema_type *)b)->name);
}

/* Adds every TYPE: {"block": ...} (or TYPE: block when bare) of map. */
static void index_add(pg_schema_index *ix, size_t *cap, const cJSON *map, bool bare)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, map)
    {
        const cJSON *block = bare ? t : cJSON_GetObjectItemCaseSensitive(t, "block");
        if (!cJSON_IsObject(block) || !t->string)
            continue;
        pg_grow(&ix->items, cap, ix->count + 1, sizeof *ix->items);
        ix->items[ix->count++] = (pg_schema_type){t->string, block};
    }
}

pg_schema *pg_schema_load(const char *path, pg_errors *err)
{
    char *text = pg_read_text(path, err);
    if (!text)
        return NULL;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) {
        pg_errors_add(err, "%s: not valid JSON", path);
        return NULL;
    }
    const cJSON *providers = cJSON_GetObjectItemCaseSensitive(root, "provider_schemas");
    if (!cJSON_IsObject(providers) || !providers->child) {
        pg_errors_add(err, "%s: no \"provider_schemas\": not the output of `terraform providers schema -json`",
                      path);
        cJSON_Delete(root);
        return NULL;
    }
    pg_schema *s = pg_xcalloc(1, sizeof *s);
    s->root = root;
    s->builtins = cJSON_Parse(builtin_json);
    size_t caps[2] = {0, 0};
    const cJSON *p;
    cJSON_ArrayForEach(p, providers)
    {
        index_add(&s->types[0], &caps[0], cJSON_GetObjectItemCaseSensitive(p, "resource_schemas"), false);
        index_add(&s->types[1], &caps[1], cJSON_GetObjectItemCaseSensitive(p, "data_source_schemas"), false);
    }
    index_add(&s->types[0], &caps[0], cJSON_GetObjectItemCaseSensitive(s->builtins, "resource"), true);
    index_add(&s->types[1], &caps[1], cJSON_GetObjectItemCaseSensitive(s->builtins, "data"), true);
    for (size_t i = 0; i < 2; i++)
        if (s->types[i].count)
            pg_sort(s->types[i].items, s->types[i].count, sizeof *s->types[i].items, cmp_type);
    return s;
}

void pg_schema_free(pg_schema *s)
{
    if (!s)
        return;
    cJSON_Delete(s->root);
    cJSON_Delete(s->builtins);
    free(s->types[0].items);
    free(s->types[1].items);
    free(s);
}

const cJSON *pg_schema_block(const pg_schema *s, bool data, const char *type)
{
    if (!s || !type)
        return NULL;
    const pg_schema_index *ix = &s->types[data];
    pg_schema_type key = {type, NULL};
    const pg_schema_type *hit =
        ix->count ? bsearch(&key, ix->items, ix->count, sizeof *ix->items, cmp_type) : NULL;
    return hit ? hit->block : NULL;
}

const char *pg_schema_suggest(const pg_schema *s, bool data, const char *type)
{
    if (!s)
        return NULL;
    const pg_schema_index *ix = &s->types[data];
    size_t best = (size_t)-1;
    const char *name = NULL;
    for (size_t i = 0; i < ix->count; i++) {
        size_t d = pg_edit_distance(type, ix->items[i].name);
        if (d < best) {
            best = d;
            name = ix->items[i].name;
        }
    }
    return best <= 3 ? name : NULL;
}

static bool described(const cJSON *node, const char *prefix)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(node, "description");
    return cJSON_IsString(d) && pg_str_starts_with(d->valuestring, prefix);
}

bool pg_schema_opaque(const cJSON *block)
{
    return described(block, "[schema-extract] opaque");
}

bool pg_schema_synthetic(const cJSON *attribute)
{
    return described(attribute, "[schema-extract] synthetic");
}
