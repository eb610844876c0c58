/* SPDX-License-Identifier: Apache-2.0 */
/* validate_blocks.c - resource and data blocks: labels, count and for_each,
 * meta-arguments, templates and the Name tag, then the AWS name rules and the
 * provider schema of each block. */
#include <string.h>

#include "taggable.h"
#include "validate_internal.h"

static void check_tags(pg_vstate *v, const pg_vpath *addr, const char *type, const cJSON *body)
{
    if (!pg_type_is_taggable(type))
        return;
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "tags");
    pg_vpath p = pg_v_key(addr, "tags");
    if (cJSON_IsString(tags) && strstr(tags->valuestring, "${")) {
        pg_v_warn(v, &p, "tags is an expression; cannot see a Name tag");
        return;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(tags, "Name");
    if (!cJSON_IsString(name) || !*name->valuestring)
        pg_v_error(v, &p, "taggable resource has no Name tag");
}

enum { COUNT, FOR_EACH, PROVIDER, DEPENDS_ON, LIFECYCLE, META_COUNT };
static const char *const resource_meta[] = {"count", "for_each", "provider", "depends_on", "lifecycle", NULL};

/* The meta-arguments of a body in one pass, each as
 * cJSON_GetObjectItemCaseSensitive finds it: the first of its name, none
 * after a member without a key. */
static void find_meta(const cJSON *body, const cJSON *found[META_COUNT])
{
    for (size_t k = 0; k < META_COUNT; k++)
        found[k] = NULL;
    for (const cJSON *c = body->child; c && c->string; c = c->next)
        for (size_t k = 0; k < META_COUNT; k++)
            if (!found[k] && c->string[0] == resource_meta[k][0] && !strcmp(c->string, resource_meta[k]))
                found[k] = c;
}

static void check_block(pg_vstate *v, const pg_vpath *addr, bool data, const char *type, const cJSON *body)
{
    if (!cJSON_IsObject(body)) {
        pg_v_error(v, addr, "must be an object (or an array of objects)");
        return;
    }
    const cJSON *meta[META_COUNT];
    find_meta(body, meta);
    const cJSON *count = meta[COUNT], *each = meta[FOR_EACH];
    if (count && each)
        pg_v_error(v, addr, "\"count\" and \"for_each\" cannot both be set");
    v->has_count = count != NULL;
    v->has_each = each != NULL;
    v->allow_self = false;
    v->dynamic_names = body;
    v->iterators_known = false;
    if (meta[PROVIDER]) {
        pg_vpath p = pg_v_key(addr, "provider");
        pg_v_provider_ref(v, &p, meta[PROVIDER]);
    }
    if (meta[DEPENDS_ON])
        pg_v_depends_on(v, addr, meta[DEPENDS_ON]);
    if (meta[LIFECYCLE])
        pg_v_lifecycle(v, addr, meta[LIFECYCLE]);
    if (count) {
        pg_vpath p = pg_v_key(addr, "count");
        v->has_count = false; /* count.index is not available inside count itself */
        pg_v_scan_tree(v, &p, count, NULL);
        v->has_count = true;
    }
    if (each) {
        pg_vpath p = pg_v_key(addr, "for_each");
        v->has_each = false;
        pg_v_scan_tree(v, &p, each, NULL);
        v->has_each = true;
    }
    pg_v_scan_tree(v, addr, body, resource_meta);
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
    v->iterators_known = false;
    v->has_count = v->has_each = false;
}

/* resource/data: TYPE -> LABEL -> body, each level an object or array of objects. */
void pg_v_blocks(pg_vstate *v, bool data)
{
    const char *key = data ? "data" : "resource";
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(v->doc, key);
    if (!all)
        return;
    if (!pg_v_is_object_or_objects(all))
        return; /* reported with the top-level keys */
    pg_vpath prefix = pg_v_key(NULL, "data");
    pg_v_iter types;
    pg_v_iter_init(&types, all);
    for (const cJSON *t; (t = pg_v_iter_next(&types));) {
        pg_vpath p = pg_v_key(data ? &prefix : NULL, t->string);
        if (!pg_v_is_identifier(t->string)) {
            pg_v_error(v, &p, "type \"%s\" is not a valid identifier", t->string);
            continue;
        }
        if (!pg_v_is_object_or_objects(t)) {
            pg_v_error(v, &p, "must be an object of labels");
            continue;
        }
        pg_v_iter labels;
        pg_v_iter_init(&labels, t);
        for (const cJSON *l; (l = pg_v_iter_next(&labels));) {
            pg_vpath addr = pg_v_key(&p, l->string);
            if (!pg_v_is_identifier(l->string)) {
                pg_v_error(v, &addr, "label \"%s\" is not a valid identifier", l->string);
                continue;
            }
            if (cJSON_IsArray(l)) {
                if (!pg_v_is_object_or_objects(l)) {
                    pg_v_error(v, &addr, "must be an object (or an array of objects)");
                    continue;
                }
                const cJSON *b;
                cJSON_ArrayForEach(b, l) check_block(v, &addr, data, t->string, b);
            } else {
                check_block(v, &addr, data, t->string, l);
            }
        }
    }
}
