/* SPDX-License-Identifier: Apache-2.0 */
/* validate_structure.c - the document around the resource and data blocks:
 * duplicate keys, the top-level keys, and the templates and meta-arguments of
 * outputs, locals, variables, providers, checks and modules. */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

typedef struct keyed {
    const char *key;
    size_t at;  /* place among the object's members */
} keyed;

static int by_key_then_place(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Which members of node repeat an earlier key: sorted, n log n (a stack of
 * 19,000 blocks of one type took seconds with the pairwise loop). */
static bool *repeated_keys(const cJSON *node, size_t n)
{
    keyed *keys = pg_xcalloc(n ? n : 1, sizeof *keys);
    bool *repeated = pg_xcalloc(n ? n : 1, sizeof *repeated);
    size_t k = 0, i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++)
        if (c->string)
            keys[k++] = (keyed){c->string, i};
    pg_sort(keys, k, sizeof *keys, by_key_then_place);
    for (size_t j = 1; j < k; j++)
        if (!strcmp(keys[j].key, keys[j - 1].key))
            repeated[keys[j].at] = true;
    free(keys);
    return repeated;
}

/* Terraform refuses an object with the same key twice; cJSON keeps both. */
void pg_v_duplicates(pg_vstate *v, char *path, const cJSON *node)
{
    size_t n = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next)
        n++;
    bool *repeated = n && cJSON_IsObject(node) ? repeated_keys(node, n) : NULL;
    size_t i = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next, i++) {
        if (repeated && repeated[i])
            pg_v_error(v, path[0] ? path : "(document)", "duplicate key \"%s\"", c->string);
        if (!c->child)
            continue;
        size_t len = pg_v_path_push(path, c->string, i);
        if (!len && c->string)
            memmove(path, path + 1, strlen(path)); /* no leading dot at the top */
        pg_v_duplicates(v, path, c);
        path[len] = '\0';
    }
    free(repeated);
}

static const char *const top_keys[] = {"//",   "terraform", "provider", "variable", "locals", "output",
                                       "resource", "data", "module", "moved", "import", "check", NULL};

void pg_v_top(pg_vstate *v)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, v->doc)
    {
        size_t k = 0;
        while (top_keys[k] && strcmp(top_keys[k], c->string))
            k++;
        if (!top_keys[k]) {
            const char *best = NULL;
            size_t best_d = 3;
            for (k = 0; top_keys[k]; k++) {
                size_t d = pg_edit_distance(c->string, top_keys[k]);
                if (d < best_d) {
                    best_d = d;
                    best = top_keys[k];
                }
            }
            pg_v_error(v, c->string, "unknown top-level key%s%s%s", best ? " (did you mean " : "",
                       best ? best : "", best ? "?)" : "");
        } else if (k > 0 && !pg_v_is_object_or_objects(c)) {
            pg_v_error(v, c->string, "must be an object (or an array of objects)");
        }
    }
}

/* Outputs, locals, variables, providers and modules: templates and meta. */
void pg_v_others(pg_vstate *v)
{
    static const char *const output_skip[] = {"depends_on", NULL};
    static const char *const variable_skip[] = {"type", "default", NULL};
    static const char *const module_skip[] = {"source", "version", "providers", "depends_on", NULL};
    pg_v_iter it;
    pg_v_iter_init(&it, pg_v_member(v->doc, "output"));
    for (const cJSON *o; (o = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "output.%s", o->string);
        pg_v_scan_tree(v, p, o, output_skip);
        const cJSON *deps = pg_v_member(o, "depends_on");
        if (deps)
            pg_v_depends_on(v, p, deps);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "locals"));
    for (const cJSON *l; (l = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "locals.%s", l->string);
        pg_v_scan_tree(v, p, l, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "variable"));
    for (const cJSON *var; (var = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "variable.%s", var->string);
        if (!pg_v_is_identifier(var->string))
            pg_v_error(v, p, "variable name is not a valid identifier");
        pg_v_scan_tree(v, p, var, variable_skip);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "provider"));
    for (const cJSON *pr; (pr = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "provider.%s", pr->string);
        pg_v_scan_tree(v, p, pr, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "check"));
    for (const cJSON *ck; (ck = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "check.%s", ck->string);
        pg_v_scan_tree(v, p, ck, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "module"));
    for (const cJSON *m; (m = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "module.%s", m->string);
        v->has_count = pg_v_member(m, "count") != NULL;
        v->has_each = pg_v_member(m, "for_each") != NULL;
        pg_v_scan_tree(v, p, m, module_skip);
        v->has_count = v->has_each = false;
        if (!cJSON_IsString(pg_v_member(m, "source")))
            pg_v_error(v, p, "module has no \"source\"");
        const cJSON *deps = pg_v_member(m, "depends_on");
        if (deps)
            pg_v_depends_on(v, p, deps);
        pg_v_iter pi;
        pg_v_iter_init(&pi, pg_v_member(m, "providers"));
        for (const cJSON *pv; (pv = pg_v_iter_next(&pi));) {
            char q[PATH_MAX_LEN];
            pg_v_path(q, "%s.providers.%s", p, pv->string);
            pg_v_provider_ref(v, q, pv);
        }
    }
}
