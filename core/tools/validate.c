/* SPDX-License-Identifier: Apache-2.0 */
/* validate.c - structure, meta-arguments, templates, references, names and
 * tags of one Terraform JSON stack. Schema checks are in validate_schema.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taggable.h"
#include "tftemplate.h"
#include "validate_internal.h"


void pg_v_path(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, PATH_MAX_LEN, fmt, ap);
    va_end(ap);
}

static void vfinding(pg_vstate *v, pg_errors *list, const char *path, const char *fmt, va_list ap)
{
    char *msg = pg_xvasprintf(fmt, ap);
    pg_errors_add(list, "%s/%s: %s", v->stack, path, msg);
    free(msg);
}

void pg_v_error(pg_vstate *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->errors, path, fmt, ap);
    va_end(ap);
    v->error_count++;
}

void pg_v_warn(pg_vstate *v, const char *path, const char *fmt, ...)
{
    if (!v->warnings)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->warnings, path, fmt, ap);
    va_end(ap);
}

const cJSON *pg_v_member(const cJSON *node, const char *key)
{
    if (cJSON_IsObject(node))
        return cJSON_GetObjectItemCaseSensitive(node, key);
    const cJSON *item;
    if (cJSON_IsArray(node))
        cJSON_ArrayForEach(item, node)
        {
            const cJSON *hit = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, key) : NULL;
            if (hit)
                return hit;
        }
    return NULL;
}

void pg_v_iter_init(pg_v_iter *it, const cJSON *node)
{
    it->cur = NULL;
    if (cJSON_IsArray(node)) {
        it->outer = node->child;
        it->obj = it->outer;
    } else {
        it->outer = NULL;
        it->obj = node;
    }
}

const cJSON *pg_v_iter_next(pg_v_iter *it)
{
    for (;;) {
        if (it->cur)
            it->cur = it->cur->next;
        else if (cJSON_IsObject(it->obj))
            it->cur = it->obj->child;
        if (it->cur)
            return it->cur;
        if (!it->outer || !(it->outer = it->outer->next))
            return NULL;
        it->obj = it->outer;
    }
}

const char *pg_v_suggest(const char *name, const cJSON *a, const cJSON *b)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    const cJSON *lists[2] = {a, b};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, lists[i])
        {
            size_t d = pg_edit_distance(name, c->string);
            if (d < best_d) {
                best_d = d;
                best = c->string;
            }
        }
    }
    size_t len = strlen(name);
    return best && best_d <= (len > 9 ? 3 : len > 4 ? 2 : 1) ? best : NULL;
}

const cJSON *pg_v_type_block(pg_vstate *v, bool data, const char *type)
{
    if (v->schema)
        return pg_schema_block(v->schema, data, type);
    if (!pg_schema_is_builtin(data, type))
        return NULL;
    if (!v->builtins)
        v->builtins = pg_schema_builtins();
    return pg_schema_builtin_block(v->builtins, data, type);
}

static bool is_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static bool is_object_or_objects(const cJSON *node)
{
    if (cJSON_IsObject(node))
        return true;
    if (!cJSON_IsArray(node) || !node->child)
        return false;
    const cJSON *item;
    cJSON_ArrayForEach(item, node) if (!cJSON_IsObject(item)) return false;
    return true;
}

/* ----- references */

typedef struct ref_ctx {
    pg_vstate *v;
    const char *path;
} ref_ctx;

static bool part_is(const pg_tref *r, size_t i, const char *w)
{
    return i < r->count && strlen(w) == r->len[i] && !strncmp(r->part[i], w, r->len[i]);
}

/* Whether name is a dynamic block's iterator in the current block. */
static bool dynamic_iterator(const cJSON *node, const char *name, size_t len)
{
    if (!node || !node->child)
        return false;
    if (node->string && !strcmp(node->string, "dynamic")) {
        pg_v_iter it;
        pg_v_iter_init(&it, node);
        for (const cJSON *d; (d = pg_v_iter_next(&it));) {
            const cJSON *iter = pg_v_member(d, "iterator");
            const char *n = cJSON_IsString(iter) ? iter->valuestring : d->string;
            if (n && strlen(n) == len && !strncmp(n, name, len))
                return true;
        }
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, node) if (dynamic_iterator(c, name, len)) return true;
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
        else if (!pg_v_member(pg_v_member(v->doc, "variable"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared variable var.%s", a[1]);
    } else if (!strcmp(root, "local")) {
        if (r->count < 2)
            pg_v_error(v, rc->path, "\"local\" needs a name");
        else if (!pg_v_member(pg_v_member(v->doc, "locals"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared local value local.%s", a[1]);
    } else if (!strcmp(root, "module")) {
        if (r->count < 2 || !pg_v_member(pg_v_member(v->doc, "module"), a[1]))
            pg_v_error(v, rc->path, "reference to undeclared module module.%s", a[1]);
    } else if (!strcmp(root, "data")) {
        if (r->count < 3 || !pg_v_member(pg_v_member(pg_v_member(v->doc, "data"), a[1]), a[2])) {
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
    } else if (dynamic_iterator(v->dynamic_names, r->part[0], r->len[0])) {
        /* a dynamic block's iterator */
    } else if (r->count < 2) {
        pg_v_error(v, rc->path, "unknown name \"%s\" in template", root);
    } else if (!pg_v_member(pg_v_member(pg_v_member(v->doc, "resource"), root), a[1])) {
        pg_v_error(v, rc->path, "reference to undeclared resource %s.%s", root, a[1]);
    } else if (r->count > 2 && (v->schema || pg_schema_is_builtin(false, root))) {
        pg_v_schema_ref(v, rc->path, false, root, a[2]);
    }
}

static void scan_string(pg_vstate *v, const char *path, const char *s)
{
    if (!strchr(s, '{'))
        return; /* the common case: no template at all */
    ref_ctx rc = {v, path};
    const char *problem = pg_template_scan(s, on_ref, &rc);
    if (problem)
        pg_v_error(v, path, "%s", problem);
}

/* Appends ".key" or "[i]" to the path buffer (PATH_MAX_LEN); returns the old length. */
static size_t path_push(char *path, const char *key, size_t index)
{
    size_t len = strlen(path);
    char num[24];
    if (!key) {
        size_t n = 0;
        char digits[22];
        do
            digits[n++] = (char)('0' + index % 10);
        while ((index /= 10) && n < sizeof digits);
        num[0] = '[';
        for (size_t i = 0; i < n; i++)
            num[1 + i] = digits[n - 1 - i];
        num[n + 1] = ']';
        num[n + 2] = '\0';
    }
    const char *add = key ? key : num;
    size_t n = strlen(add);
    if (len + n + 2 >= PATH_MAX_LEN)
        return len;
    char *p = path + len;
    if (key)
        *p++ = '.';
    memcpy(p, add, n + 1);
    return len;
}

/* Every string below node; skip names keys whose values are not templates.
 * path is a PATH_MAX_LEN buffer, extended while descending and restored. */
static void scan_tree(pg_vstate *v, char *path, const cJSON *node, const char *const *skip)
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
        size_t len = path_push(path, c->string, i++);
        bool self_ok = v->allow_self;
        if (c->string && (!strcmp(c->string, "provisioner") || !strcmp(c->string, "connection") ||
                          !strcmp(c->string, "postcondition")))
            v->allow_self = true;
        scan_tree(v, path, c, NULL);
        v->allow_self = self_ok;
        path[len] = '\0';
    }
}

/* Terraform refuses an object with the same key twice; cJSON keeps both. */
static void check_duplicates(pg_vstate *v, char *path, const cJSON *node)
{
    size_t i = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next, i++) {
        if (c->string)
            for (const cJSON *d = node->child; d != c; d = d->next)
                if (!strcmp(d->string, c->string)) {
                    pg_v_error(v, path[0] ? path : "(document)", "duplicate key \"%s\"", c->string);
                    break;
                }
        if (!c->child)
            continue;
        size_t len = path_push(path, c->string, i);
        if (!len && c->string)
            memmove(path, path + 1, strlen(path)); /* no leading dot at the top */
        check_duplicates(v, path, c);
        path[len] = '\0';
    }
}

/* ----- meta-arguments */

static void check_bare_ref(pg_vstate *v, const char *path, const cJSON *item)
{
    if (!cJSON_IsString(item)) {
        pg_v_error(v, path, "must be a bare reference string");
        return;
    }
    const char *s = item->valuestring;
    if (strstr(s, "${")) {
        pg_v_error(v, path, "must be a bare reference (like aws_vpc.main), not \"${...}\": \"%s\"", s);
        return;
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    char *parts[4] = {0};
    size_t n = 0;
    for (char *p = strtok(buf, "."); p && n < 4; p = strtok(NULL, "."))
        parts[n++] = p;
    const cJSON *res = pg_v_member(v->doc, "resource"), *data = pg_v_member(v->doc, "data");
    bool ok;
    if (n >= 2 && !strcmp(parts[0], "module"))
        ok = pg_v_member(pg_v_member(v->doc, "module"), parts[1]) != NULL;
    else if (n >= 3 && !strcmp(parts[0], "data"))
        ok = pg_v_member(pg_v_member(data, parts[1]), parts[2]) != NULL;
    else if (n >= 2)
        ok = pg_v_member(pg_v_member(res, parts[0]), parts[1]) != NULL;
    else
        ok = false;
    if (!ok)
        pg_v_error(v, path, "reference to undeclared %s", s);
}

static void check_depends_on(pg_vstate *v, const char *path, const cJSON *deps)
{
    char p[PATH_MAX_LEN];
    pg_v_path(p, "%s.depends_on", path);
    if (!cJSON_IsArray(deps)) {
        pg_v_error(v, p, "must be an array of bare references");
        return;
    }
    const cJSON *d;
    cJSON_ArrayForEach(d, deps) check_bare_ref(v, p, d);
}

/* provider = "aws" or "aws.alias" naming a configured provider block. */
static void check_provider_ref(pg_vstate *v, const char *path, const cJSON *value)
{
    if (!cJSON_IsString(value)) {
        pg_v_error(v, path, "must be a bare provider reference such as aws.use2");
        return;
    }
    const char *s = value->valuestring;
    if (strstr(s, "${")) {
        pg_v_error(v, path, "must be a bare provider reference (like aws.use2), not \"${...}\": \"%s\"", s);
        return;
    }
    const char *dot = strchr(s, '.');
    char name[128];
    snprintf(name, sizeof name, "%.*s", dot ? (int)(dot - s) : (int)strlen(s), s);
    if (!dot)
        return; /* the default configuration exists implicitly */
    const cJSON *blocks = pg_v_member(pg_v_member(v->doc, "provider"), name);
    const cJSON *b;
    if (cJSON_IsObject(blocks)) {
        const cJSON *alias = cJSON_GetObjectItemCaseSensitive(blocks, "alias");
        if (cJSON_IsString(alias) && !strcmp(alias->valuestring, dot + 1))
            return;
    } else if (cJSON_IsArray(blocks)) {
        cJSON_ArrayForEach(b, blocks)
        {
            const cJSON *alias = cJSON_GetObjectItemCaseSensitive(b, "alias");
            if (cJSON_IsString(alias) && !strcmp(alias->valuestring, dot + 1))
                return;
        }
    }
    pg_v_error(v, path, "provider %s is not configured (no provider \"%s\" block with alias \"%s\")", s, name,
               dot + 1);
}

static void check_lifecycle(pg_vstate *v, const char *path, const cJSON *lc)
{
    static const char *const keys[] = {"create_before_destroy", "prevent_destroy", "ignore_changes",
                                       "replace_triggered_by", "precondition", "postcondition", NULL};
    char p[PATH_MAX_LEN];
    pg_v_path(p, "%s.lifecycle", path);
    if (!is_object_or_objects(lc)) {
        pg_v_error(v, p, "must be an object");
        return;
    }
    pg_v_iter it;
    pg_v_iter_init(&it, lc);
    for (const cJSON *c; (c = pg_v_iter_next(&it));) {
        char q[PATH_MAX_LEN];
        pg_v_path(q, "%s.%s", p, c->string);
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], c->string))
            k++;
        if (!keys[k]) {
            pg_v_error(v, q, "unknown lifecycle argument");
        } else if (k < 2) {
            if (!cJSON_IsBool(c) && !(cJSON_IsString(c) && strstr(c->valuestring, "${")))
                pg_v_error(v, q, "must be a bool");
        } else if (k == 2) {
            if (cJSON_IsString(c) && !strcmp(c->valuestring, "all"))
                continue;
            if (!cJSON_IsArray(c)) {
                pg_v_error(v, q, "must be \"all\" or an array of attribute names");
                continue;
            }
            const cJSON *a;
            cJSON_ArrayForEach(a, c)
            {
                if (!cJSON_IsString(a))
                    pg_v_error(v, q, "must hold attribute names");
                else if (strstr(a->valuestring, "${"))
                    pg_v_error(v, q, "must be a bare attribute name, not \"${...}\": \"%s\"", a->valuestring);
            }
        } else {
            bool self_ok = v->allow_self;
            v->allow_self = k == 5;
            scan_tree(v, q, c, NULL);
            v->allow_self = self_ok;
        }
    }
}

/* ----- blocks */

static void check_tags(pg_vstate *v, const char *addr, const char *type, const cJSON *body)
{
    if (!pg_type_is_taggable(type))
        return;
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "tags");
    char p[PATH_MAX_LEN];
    pg_v_path(p, "%s.tags", addr);
    if (cJSON_IsString(tags) && strstr(tags->valuestring, "${")) {
        pg_v_warn(v, p, "tags is an expression; cannot see a Name tag");
        return;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(tags, "Name");
    if (!cJSON_IsString(name) || !*name->valuestring)
        pg_v_error(v, p, "taggable resource has no Name tag");
}

static const char *const resource_meta[] = {"count", "for_each", "provider", "depends_on", "lifecycle", NULL};

static void check_block(pg_vstate *v, bool data, const char *type, const char *label, const cJSON *body)
{
    char addr[PATH_MAX_LEN];
    pg_v_path(addr, "%s%s.%s", data ? "data." : "", type, label);
    if (!cJSON_IsObject(body)) {
        pg_v_error(v, addr, "must be an object (or an array of objects)");
        return;
    }
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(body, "count");
    const cJSON *each = cJSON_GetObjectItemCaseSensitive(body, "for_each");
    if (count && each)
        pg_v_error(v, addr, "\"count\" and \"for_each\" cannot both be set");
    v->has_count = count != NULL;
    v->has_each = each != NULL;
    v->allow_self = false;
    v->dynamic_names = body;
    char p[PATH_MAX_LEN];
    const cJSON *provider = cJSON_GetObjectItemCaseSensitive(body, "provider");
    if (provider) {
        pg_v_path(p, "%s.provider", addr);
        check_provider_ref(v, p, provider);
    }
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(body, "depends_on");
    if (deps)
        check_depends_on(v, addr, deps);
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(body, "lifecycle");
    if (lc)
        check_lifecycle(v, addr, lc);
    if (count) {
        pg_v_path(p, "%s.count", addr);
        v->has_count = false; /* count.index is not available inside count itself */
        scan_tree(v, p, count, NULL);
        v->has_count = true;
    }
    if (each) {
        pg_v_path(p, "%s.for_each", addr);
        v->has_each = false;
        scan_tree(v, p, each, NULL);
        v->has_each = true;
    }
    scan_tree(v, addr, body, resource_meta);
    if (!data) {
        check_tags(v, addr, type, body);
        pg_v_names(v, addr, type, body);
    }
    const cJSON *block = pg_v_type_block(v, data, type);
    if (block) {
        pg_v_schema_body(v, addr, body, block, true, data);
    } else if (v->schema && pg_str_starts_with(type, "aws_")) {
        const char *near = pg_schema_suggest(v->schema, data, type);
        pg_v_error(v, addr, "unknown %s type %s%s%s%s", data ? "data source" : "resource", type,
                   near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
    } else if (v->schema) {
        pg_v_warn(v, addr, "type %s is not in the provider schema; not checked", type);
    }
    v->dynamic_names = NULL;
    v->has_count = v->has_each = false;
}

/* resource/data: TYPE -> LABEL -> body, each level an object or array of objects. */
static void check_blocks(pg_vstate *v, bool data)
{
    const char *key = data ? "data" : "resource";
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(v->doc, key);
    if (!all)
        return;
    if (!is_object_or_objects(all))
        return; /* reported with the top-level keys */
    pg_v_iter types;
    pg_v_iter_init(&types, all);
    for (const cJSON *t; (t = pg_v_iter_next(&types));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "%s%s", data ? "data." : "", t->string);
        if (!is_identifier(t->string)) {
            pg_v_error(v, p, "type \"%s\" is not a valid identifier", t->string);
            continue;
        }
        if (!is_object_or_objects(t)) {
            pg_v_error(v, p, "must be an object of labels");
            continue;
        }
        pg_v_iter labels;
        pg_v_iter_init(&labels, t);
        for (const cJSON *l; (l = pg_v_iter_next(&labels));) {
            pg_v_path(p, "%s%s.%s", data ? "data." : "", t->string, l->string);
            if (!is_identifier(l->string)) {
                pg_v_error(v, p, "label \"%s\" is not a valid identifier", l->string);
                continue;
            }
            if (cJSON_IsArray(l)) {
                if (!is_object_or_objects(l)) {
                    pg_v_error(v, p, "must be an object (or an array of objects)");
                    continue;
                }
                const cJSON *b;
                cJSON_ArrayForEach(b, l) check_block(v, data, t->string, l->string, b);
            } else {
                check_block(v, data, t->string, l->string, l);
            }
        }
    }
}

static const char *const top_keys[] = {"//",   "terraform", "provider", "variable", "locals", "output",
                                       "resource", "data", "module", "moved", "import", "check", NULL};

static void check_top(pg_vstate *v)
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
        } else if (k > 0 && !is_object_or_objects(c)) {
            pg_v_error(v, c->string, "must be an object (or an array of objects)");
        }
    }
}

/* Outputs, locals, variables, providers and modules: templates and meta. */
static void check_others(pg_vstate *v)
{
    static const char *const output_skip[] = {"depends_on", NULL};
    static const char *const variable_skip[] = {"type", "default", NULL};
    static const char *const module_skip[] = {"source", "version", "providers", "depends_on", NULL};
    pg_v_iter it;
    pg_v_iter_init(&it, pg_v_member(v->doc, "output"));
    for (const cJSON *o; (o = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "output.%s", o->string);
        scan_tree(v, p, o, output_skip);
        const cJSON *deps = pg_v_member(o, "depends_on");
        if (deps)
            check_depends_on(v, p, deps);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "locals"));
    for (const cJSON *l; (l = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "locals.%s", l->string);
        scan_tree(v, p, l, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "variable"));
    for (const cJSON *var; (var = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "variable.%s", var->string);
        if (!is_identifier(var->string))
            pg_v_error(v, p, "variable name is not a valid identifier");
        scan_tree(v, p, var, variable_skip);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "provider"));
    for (const cJSON *pr; (pr = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "provider.%s", pr->string);
        scan_tree(v, p, pr, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "check"));
    for (const cJSON *ck; (ck = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "check.%s", ck->string);
        scan_tree(v, p, ck, NULL);
    }
    pg_v_iter_init(&it, pg_v_member(v->doc, "module"));
    for (const cJSON *m; (m = pg_v_iter_next(&it));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "module.%s", m->string);
        v->has_count = pg_v_member(m, "count") != NULL;
        v->has_each = pg_v_member(m, "for_each") != NULL;
        scan_tree(v, p, m, module_skip);
        v->has_count = v->has_each = false;
        if (!cJSON_IsString(pg_v_member(m, "source")))
            pg_v_error(v, p, "module has no \"source\"");
        const cJSON *deps = pg_v_member(m, "depends_on");
        if (deps)
            check_depends_on(v, p, deps);
        pg_v_iter pi;
        pg_v_iter_init(&pi, pg_v_member(m, "providers"));
        for (const cJSON *pv; (pv = pg_v_iter_next(&pi));) {
            char q[PATH_MAX_LEN];
            pg_v_path(q, "%s.providers.%s", p, pv->string);
            check_provider_ref(v, q, pv);
        }
    }
}

size_t pg_validate_stack(const cJSON *doc, const char *stack, const pg_schema *schema, pg_errors *errors,
                         pg_errors *warnings)
{
    pg_vstate v = {.doc = doc, .stack = stack, .schema = schema, .errors = errors, .warnings = warnings};
    if (!cJSON_IsObject(doc)) {
        pg_errors_add(errors, "%s: the document is not a JSON object", stack);
        return 1;
    }
    char path[PATH_MAX_LEN] = "";
    check_duplicates(&v, path, doc);
    check_top(&v);
    check_blocks(&v, false);
    check_blocks(&v, true);
    check_others(&v);
    cJSON_Delete(v.builtins);
    return v.error_count;
}
