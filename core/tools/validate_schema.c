/* SPDX-License-Identifier: Apache-2.0 */
/* validate_schema.c - a stack's blocks against the provider schema: types,
 * arguments, computed-only attributes, required arguments, nested block
 * shapes and counts, literal value types, and referenced attributes; and the
 * schema block of a type, from the provider schema or built in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

static const char *kind(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsBool(v))
        return "bool";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    return "null";
}

static bool is_expr(const cJSON *v)
{
    return cJSON_IsString(v) && strstr(v->valuestring, "${") != NULL;
}

static void check_type(pg_vstate *v, const pg_vpath *path, const cJSON *value, const cJSON *type);

static void check_elements(pg_vstate *v, const pg_vpath *path, const cJSON *value, const cJSON *elem)
{
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, value)
    {
        pg_vpath p = e->string ? pg_v_key(path, e->string) : pg_v_index(path, i);
        i++;
        check_type(v, &p, e, elem);
    }
}

static void check_object(pg_vstate *v, const pg_vpath *path, const cJSON *value, const cJSON *fields)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, value)
    {
        pg_vpath p = pg_v_key(path, c->string);
        const cJSON *ft = cJSON_GetObjectItemCaseSensitive(fields, c->string);
        if (!ft) {
            const char *near = pg_v_suggest(c->string, fields, NULL);
            pg_v_error(v, &p, "unknown object attribute%s%s%s", near ? " (did you mean " : "", near ? near : "",
                       near ? "?)" : "");
        } else {
            check_type(v, &p, c, ft);
        }
    }
    cJSON_ArrayForEach(c, fields)
    {
        if (!cJSON_GetObjectItemCaseSensitive(value, c->string)) {
            pg_vpath p = pg_v_key(path, c->string);
            pg_v_error(v, &p, "missing object attribute (in JSON every attribute of an object must be given, null if unused)");
        }
    }
}

static void check_type(pg_vstate *v, const pg_vpath *path, const cJSON *value, const cJSON *type)
{
    if (cJSON_IsNull(value) || is_expr(value))
        return;
    if (cJSON_IsString(type)) {
        const char *t = type->valuestring;
        if (!strcmp(t, "dynamic"))
            return;
        if (!strcmp(t, "string")) {
            if (!cJSON_IsString(value) && !cJSON_IsNumber(value) && !cJSON_IsBool(value))
                pg_v_error(v, path, "expected string, got %s", kind(value));
        } else if (!strcmp(t, "number")) {
            char *end = NULL;
            if (cJSON_IsString(value))
                strtod(value->valuestring, &end);
            if (!cJSON_IsNumber(value) && !(end && end != value->valuestring && !*end))
                pg_v_error(v, path, "expected number, got %s", kind(value));
        } else if (!strcmp(t, "bool")) {
            if (!cJSON_IsBool(value) && !(cJSON_IsString(value) && (!strcmp(value->valuestring, "true") ||
                                                                    !strcmp(value->valuestring, "false"))))
                pg_v_error(v, path, "expected bool, got %s", kind(value));
        }
        return;
    }
    const cJSON *head = cJSON_IsArray(type) ? type->child : NULL;
    const cJSON *elem = head ? head->next : NULL;
    if (!cJSON_IsString(head) || !elem)
        return;
    const char *t = head->valuestring;
    if (!strcmp(t, "list") || !strcmp(t, "set")) {
        if (!cJSON_IsArray(value))
            pg_v_error(v, path, "expected %s, got %s", t, kind(value));
        else
            check_elements(v, path, value, elem);
    } else if (!strcmp(t, "map")) {
        if (!cJSON_IsObject(value))
            pg_v_error(v, path, "expected map, got %s", kind(value));
        else
            check_elements(v, path, value, elem);
    } else if (!strcmp(t, "object")) {
        if (!cJSON_IsObject(value))
            pg_v_error(v, path, "expected object, got %s", kind(value));
        else
            check_object(v, path, value, elem);
    } else if (!strcmp(t, "tuple")) {
        if (!cJSON_IsArray(value))
            pg_v_error(v, path, "expected tuple, got %s", kind(value));
    }
}

static bool flag(const cJSON *node, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(node, name));
}

static int number(const cJSON *node, const char *name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(node, name);
    return cJSON_IsNumber(n) ? n->valueint : 0;
}

static void check_nested(pg_vstate *v, const pg_vpath *path, const cJSON *value, const cJSON *bt, bool data)
{
    const cJSON *block = cJSON_GetObjectItemCaseSensitive(bt, "block");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(bt, "nesting_mode");
    const char *m = cJSON_IsString(mode) ? mode->valuestring : "list";
    int min = number(bt, "min_items"), max = number(bt, "max_items");
    if (cJSON_IsNull(value))
        return;
    if (!cJSON_IsObject(value) && !cJSON_IsArray(value)) {
        pg_v_error(v, path, "block given as a %s; expected an object or an array of objects", kind(value));
        return;
    }
    size_t items = 0;
    if (!strcmp(m, "map")) {
        pg_v_iter it;
        pg_v_iter_init(&it, value);
        for (const cJSON *e; (e = pg_v_iter_next(&it)); items++) {
            pg_vpath p = pg_v_key(path, e->string);
            if (!cJSON_IsObject(e))
                pg_v_error(v, &p, "block given as a %s; expected an object", kind(e));
            else
                pg_v_schema_body(v, &p, e, block, false, data);
        }
    } else if (cJSON_IsObject(value)) {
        items = 1;
        pg_v_schema_body(v, path, value, block, false, data);
    } else {
        const cJSON *e;
        cJSON_ArrayForEach(e, value)
        {
            pg_vpath p = pg_v_index(path, items);
            items++;
            if (!cJSON_IsObject(e))
                pg_v_error(v, &p, "block given as a %s; expected an object", kind(e));
            else
                pg_v_schema_body(v, &p, e, block, false, data);
        }
        if ((!strcmp(m, "single") || !strcmp(m, "group")) && items > 1)
            pg_v_error(v, path, "a single block, %zu given", items);
    }
    if (max > 0 && items > (size_t)max)
        pg_v_error(v, path, "at most %d block%s allowed, %zu given", max, max == 1 ? "" : "s", items);
    if (min > 0 && items < (size_t)min)
        pg_v_error(v, path, "at least %d block%s required, %zu given", min, min == 1 ? "" : "s", items);
}

static bool is_meta(const char *key, bool top, bool data)
{
    static const char *const meta[] = {"count", "for_each", "provider", "depends_on", "lifecycle",
                                       "provisioner", "connection", NULL};
    if (!strcmp(key, "//"))
        return true;
    if (!top)
        return false;
    for (size_t i = 0; meta[i]; i++)
        if (!strcmp(meta[i], key))
            return !data || i < 5;
    return false;
}

static bool has_dynamic(const cJSON *body, const char *name)
{
    return pg_v_member(pg_v_member(body, "dynamic"), name) != NULL;
}

void pg_v_schema_body(pg_vstate *v, const pg_vpath *path, const cJSON *body, const cJSON *block, bool top,
                      bool data)
{
    if (!block || pg_schema_opaque(block))
        return;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(block, "attributes");
    const cJSON *bts = cJSON_GetObjectItemCaseSensitive(block, "block_types");
    const cJSON *c;
    cJSON_ArrayForEach(c, body)
    {
        if (is_meta(c->string, top, data))
            continue;
        pg_vpath p = pg_v_key(path, c->string);
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(attrs, c->string);
        const cJSON *bt = cJSON_GetObjectItemCaseSensitive(bts, c->string);
        if (a) {
            if (flag(a, "computed") && !flag(a, "optional") && !flag(a, "required"))
                pg_v_error(v, &p, "computed-only attribute cannot be set");
            else if (cJSON_IsNull(c) && flag(a, "required"))
                pg_v_error(v, &p, "null given for a required argument");
            else
                check_type(v, &p, c, cJSON_GetObjectItemCaseSensitive(a, "type"));
        } else if (bt) {
            check_nested(v, &p, c, bt, data);
        } else if (!strcmp(c->string, "dynamic")) {
            pg_v_iter it;
            pg_v_iter_init(&it, c);
            for (const cJSON *d; (d = pg_v_iter_next(&it));) {
                pg_vpath q = pg_v_key(&p, d->string);
                const cJSON *dbt = cJSON_GetObjectItemCaseSensitive(bts, d->string);
                if (!dbt) {
                    const char *near = pg_v_suggest(d->string, bts, NULL);
                    pg_v_error(v, &q, "unknown block type for dynamic%s%s%s", near ? " (did you mean " : "",
                               near ? near : "", near ? "?)" : "");
                    continue;
                }
                const cJSON *content = pg_v_member(d, "content");
                if (cJSON_IsObject(content))
                    pg_v_schema_body(v, &q, content, cJSON_GetObjectItemCaseSensitive(dbt, "block"), false, data);
                else
                    pg_v_error(v, &q, "dynamic block has no \"content\" object");
            }
        } else {
            const char *near = pg_v_suggest(c->string, attrs, bts);
            pg_v_error(v, &p, "unknown argument%s%s%s", near ? " (did you mean " : "", near ? near : "",
                       near ? "?)" : "");
        }
    }
    cJSON_ArrayForEach(c, attrs)
    {
        if (flag(c, "required") && !cJSON_GetObjectItemCaseSensitive(body, c->string)) {
            pg_vpath p = pg_v_key(path, c->string);
            pg_v_error(v, &p, "missing required argument");
        }
    }
    cJSON_ArrayForEach(c, bts)
    {
        int min = number(c, "min_items");
        if (min > 0 && !cJSON_GetObjectItemCaseSensitive(body, c->string) && !has_dynamic(body, c->string)) {
            pg_vpath p = pg_v_key(path, c->string);
            pg_v_error(v, &p, "missing required block (at least %d)", min);
        }
    }
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

void pg_v_schema_ref(pg_vstate *v, const pg_vpath *path, bool data, const char *type, const char *attr)
{
    const cJSON *block = pg_v_type_block(v, data, type);
    if (!block)
        return; /* the unknown type is reported where it is declared */
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(block, "attributes");
    const cJSON *bts = cJSON_GetObjectItemCaseSensitive(block, "block_types");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(attrs, attr);
    if (a) {
        if (pg_schema_synthetic(a))
            pg_v_warn(v, path, "%s%s.%s: \"%s\" is not in the provider's own schema for this type", data ? "data." : "",
                      type, attr, attr);
        return;
    }
    if (cJSON_GetObjectItemCaseSensitive(bts, attr))
        return;
    const char *near = pg_v_suggest(attr, attrs, bts);
    pg_v_error(v, path, "%s%s has no attribute \"%s\"%s%s%s", data ? "data." : "", type, attr,
               near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
}
