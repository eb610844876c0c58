/* SPDX-License-Identifier: Apache-2.0 */
/* validate_structure.c - the document around the resource and data blocks:
 * duplicate keys, the top-level keys, and the templates and meta-arguments of
 * outputs, locals, variables, providers, checks and modules. */
#include <stdlib.h>
#include <string.h>

#include "dupkeys.h"
#include "validate_internal.h"

enum { FEW = 8 }; /* members marked in a buffer on the stack */

static void report_duplicate(pg_vstate *v, const pg_vpath *path, const char *key)
{
    char p[PATH_MAX_LEN];
    pg_v_path_format(p, path);
    pg_v_error_at(v, p[0] ? p : "(document)", "duplicate key \"%s\"", key);
}

/* Terraform refuses an object with the same key twice; cJSON keeps both.
 * Found as the input reader finds them (dupkeys.c), reported per copy in
 * document order. */
void pg_v_duplicates(pg_vstate *v, const pg_vpath *path, const cJSON *node)
{
    size_t n = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next)
        n++;
    bool few[FEW] = {false};
    bool *repeated = n <= FEW ? few : pg_xcalloc(n, sizeof *repeated);
    pg_dupkeys_mark(node, repeated);
    size_t i = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next, i++) {
        if (repeated[i])
            report_duplicate(v, path, c->string);
        if (!c->child)
            continue;
        pg_vpath here = pg_v_step(path, c->string, i);
        pg_v_duplicates(v, &here, c);
    }
    if (repeated != few)
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
            pg_v_error_at(v, c->string, "unknown top-level key%s%s%s", best ? " (did you mean " : "",
                       best ? best : "", best ? "?)" : "");
        } else if (k > 0 && !pg_v_is_object_or_objects(c)) {
            pg_v_error_at(v, c->string, "must be an object (or an array of objects)");
        }
    }
}

/* Outputs, locals, variables, providers and modules: templates and meta. */
void pg_v_others(pg_vstate *v)
{
    static const char *const output_skip[] = {"depends_on", NULL};
    static const char *const variable_skip[] = {"type", "default", NULL};
    static const char *const module_skip[] = {"source", "version", "providers", "depends_on", NULL};
    const pg_vpath output = pg_v_key(NULL, "output"), locals = pg_v_key(NULL, "locals"),
                   variable = pg_v_key(NULL, "variable"), provider = pg_v_key(NULL, "provider"),
                   check = pg_v_key(NULL, "check"), module = pg_v_key(NULL, "module");
    pg_v_iter it;
    pg_v_iter_init(&it, pg_v_member(v->doc, "output"));
    for (const cJSON *o; (o = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&output, o->string);
        pg_v_scan_tree(v, &p, o, output_skip);
        const cJSON *deps = pg_v_member(o, "depends_on");
        if (deps)
            pg_v_depends_on(v, &p, deps);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "locals"));
    for (const cJSON *l; (l = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&locals, l->string);
        pg_v_scan_tree(v, &p, l, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "variable"));
    for (const cJSON *var; (var = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&variable, var->string);
        if (!pg_v_is_identifier(var->string))
            pg_v_error(v, &p, "variable name is not a valid identifier");
        pg_v_scan_tree(v, &p, var, variable_skip);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "provider"));
    for (const cJSON *pr; (pr = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&provider, pr->string);
        pg_v_scan_tree(v, &p, pr, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "check"));
    for (const cJSON *ck; (ck = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&check, ck->string);
        pg_v_scan_tree(v, &p, ck, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "module"));
    for (const cJSON *m; (m = pg_v_iter_next(&it));) {
        pg_vpath p = pg_v_key(&module, m->string);
        v->has_count = pg_v_member(m, "count") != NULL;
        v->has_each = pg_v_member(m, "for_each") != NULL;
        pg_v_scan_tree(v, &p, m, module_skip);
        v->has_count = v->has_each = false;
        if (!cJSON_IsString(pg_v_member(m, "source")))
            pg_v_error(v, &p, "module has no \"source\"");
        const cJSON *deps = pg_v_member(m, "depends_on");
        if (deps)
            pg_v_depends_on(v, &p, deps);
        pg_vpath providers = pg_v_key(&p, "providers");
        pg_v_iter pi;
        pg_v_iter_init(&pi, pg_v_member(m, "providers"));
        for (const cJSON *pv; (pv = pg_v_iter_next(&pi));) {
            pg_vpath q = pg_v_key(&providers, pv->string);
            pg_v_provider_ref(v, &q, pv);
        }
    }
}
