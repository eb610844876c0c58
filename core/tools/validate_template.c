/* SPDX-License-Identifier: Apache-2.0 */
/* validate_template.c - templates in strings: "${...}" syntax, and what each
 * reference names (variables, locals, modules, data sources, resources and
 * their attributes, count, each, self, path, terraform, dynamic iterators). */
#include <stdio.h>
#include <string.h>

#include "tftemplate.h"
#include "validate_internal.h"

typedef struct ref_ctx {
    pg_vstate *v;
    const pg_vpath *path;
} ref_ctx;

static bool part_is(const pg_tref *r, size_t i, const char *w)
{
    return i < r->count && strlen(w) == r->len[i] && !strncmp(r->part[i], w, r->len[i]);
}

/* The iterator names of the dynamic blocks anywhere below node. */
static void collect_iterators(pg_vstate *v, const cJSON *node)
{
    if (!node || !node->child)
        return;
    if (node->string && !strcmp(node->string, "dynamic")) {
        pg_v_iter it;
        pg_v_iter_init(&it, node);
        for (const cJSON *d; (d = pg_v_iter_next(&it));) {
            const cJSON *iter = pg_v_member(d, "iterator");
            const char *n = cJSON_IsString(iter) ? iter->valuestring : d->string;
            if (!n)
                continue;
            pg_grow(&v->iterators, &v->iterator_cap, v->iterator_count + 1, sizeof *v->iterators);
            v->iterators[v->iterator_count++] = n;
        }
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, node) collect_iterators(v, c);
}

/* Whether name is a dynamic block's iterator in the current block; the
 * block's iterators are collected on its first reference. */
static bool dynamic_iterator(pg_vstate *v, const char *name, size_t len)
{
    if (!v->iterators_known) {
        v->iterator_count = 0;
        collect_iterators(v, v->dynamic_names);
        v->iterators_known = true;
    }
    for (size_t i = 0; i < v->iterator_count; i++) {
        const char *n = v->iterators[i];
        if (strlen(n) == len && !strncmp(n, name, len))
            return true;
    }
    return false;
}

static void on_ref(void *user, const pg_tref *r)
{
    ref_ctx *rc = user;
    pg_vstate *v = rc->v;
    char a[3][128];
    for (size_t i = 0; i < 3; i++) {
        size_t n = i < r->count ? r->len[i] : 0;
        if (n >= sizeof a[i])
            n = sizeof a[i] - 1;
        memcpy(a[i], i < r->count ? r->part[i] : "", n);
        a[i][n] = '\0';
    }
    const char *root = a[0];
    if (!strcmp(root, "var")) {
        if (r->count < 2)
            pg_v_error(v, rc->path, "\"var\" needs a variable name");
        else if (!pg_v_lookup(v, pg_v_lookup(v, v->doc, "variable"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared variable var.%s", a[1]);
    } else if (!strcmp(root, "local")) {
        if (r->count < 2)
            pg_v_error(v, rc->path, "\"local\" needs a name");
        else if (!pg_v_lookup(v, pg_v_lookup(v, v->doc, "locals"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared local value local.%s", a[1]);
    } else if (!strcmp(root, "module")) {
        if (r->count < 2 || !pg_v_lookup(v, pg_v_lookup(v, v->doc, "module"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared module module.%s", a[1]);
    } else if (!strcmp(root, "data")) {
        if (r->count < 3 || !pg_v_lookup(v, pg_v_lookup(v, pg_v_lookup(v, v->doc, "data"), a[1]), a[2])) {
            pg_v_error(v, rc->path, "reference to undeclared data source data.%s.%s", a[1], a[2]);
        } else if (r->count > 3 && (v->schema || pg_schema_is_builtin(true, a[1]))) {
            char attr[128];
            snprintf(attr, sizeof attr, "%.*s", (int)r->len[3], r->part[3]);
            pg_v_schema_ref(v, rc->path, true, a[1], attr);
        }
    } else if (!strcmp(root, "count")) {
        if (!part_is(r, 1, "index"))
            pg_v_error(v, rc->path, "unknown attribute of count (only count.index exists)");
        else if (!v->has_count)
            pg_v_error(v, rc->path, "count.index used in a block without \"count\"");
    } else if (!strcmp(root, "each")) {
        if (!part_is(r, 1, "key") && !part_is(r, 1, "value"))
            pg_v_error(v, rc->path, "unknown attribute of each (each.key or each.value)");
        else if (!v->has_each)
            pg_v_error(v, rc->path, "each.%s used in a block without \"for_each\"", a[1]);
    } else if (!strcmp(root, "self")) {
        if (!v->allow_self)
            pg_v_error(v, rc->path, "\"self\" is only valid in provisioner, connection and postcondition blocks");
    } else if (!strcmp(root, "path")) {
        if (!part_is(r, 1, "module") && !part_is(r, 1, "root") && !part_is(r, 1, "cwd"))
            pg_v_error(v, rc->path, "unknown attribute path.%s (path.module, path.root or path.cwd)", a[1]);
    } else if (!strcmp(root, "terraform")) {
        if (!part_is(r, 1, "workspace"))
            pg_v_error(v, rc->path, "unknown attribute terraform.%s (only terraform.workspace)", a[1]);
    } else if (dynamic_iterator(v, r->part[0], r->len[0])) {
        /* a dynamic block's iterator */
    } else if (r->count < 2) {
        pg_v_error(v, rc->path, "unknown name \"%s\" in template", root);
    } else if (!pg_v_lookup(v, pg_v_lookup(v, pg_v_lookup(v, v->doc, "resource"), root), a[1])) {
        pg_v_error(v, rc->path, "reference to undeclared resource %s.%s", root, a[1]);
    } else if (r->count > 2 && (v->schema || pg_schema_is_builtin(false, root))) {
        pg_v_schema_ref(v, rc->path, false, root, a[2]);
    }
}

static void scan_string(pg_vstate *v, const pg_vpath *path, const char *s)
{
    if (!strchr(s, '{'))
        return; /* the common case: no template at all */
    ref_ctx rc = {v, path};
    const char *problem = pg_template_scan(s, on_ref, &rc);
    if (problem)
        pg_v_error(v, path, "%s", problem);
}

/* Every string below node; skip names keys whose values are not templates. */
void pg_v_scan_tree(pg_vstate *v, const pg_vpath *path, const cJSON *node, const char *const *skip)
{
    if (cJSON_IsString(node)) {
        scan_string(v, path, node->valuestring);
        return;
    }
    size_t i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, node)
    {
        bool skipped = false;
        for (size_t k = 0; skip && skip[k] && c->string; k++)
            skipped |= !strcmp(c->string, skip[k]);
        if (skipped)
            continue;
        if (!c->child && !cJSON_IsString(c)) {
            i++;
            continue; /* numbers, bools, nulls, empty containers */
        }
        pg_vpath here = pg_v_step(path, c->string, i++);
        bool self_ok = v->allow_self;
        if (c->string && (!strcmp(c->string, "provisioner") || !strcmp(c->string, "connection") ||
                          !strcmp(c->string, "postcondition")))
            v->allow_self = true;
        pg_v_scan_tree(v, &here, c, NULL);
        v->allow_self = self_ok;
    }
}
