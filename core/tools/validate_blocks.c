/* SPDX-License-Identifier: Apache-2.0 */
/* validate_blocks.c - resource and data blocks: labels, count and for_each,
 * meta-arguments, templates and the Name tag, then the AWS name rules and the
 * provider schema of each block. */
#include <string.h>

#include "taggable.h"
#include "validate_internal.h"

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
        pg_v_provider_ref(v, p, provider);
    }
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(body, "depends_on");
    if (deps)
        pg_v_depends_on(v, addr, deps);
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(body, "lifecycle");
    if (lc)
        pg_v_lifecycle(v, addr, lc);
    if (count) {
        pg_v_path(p, "%s.count", addr);
        v->has_count = false; /* count.index is not available inside count itself */
        pg_v_scan_tree(v, p, count, NULL);
        v->has_count = true;
    }
    if (each) {
        pg_v_path(p, "%s.for_each", addr);
        v->has_each = false;
        pg_v_scan_tree(v, p, each, NULL);
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
    pg_v_iter types;
    pg_v_iter_init(&types, all);
    for (const cJSON *t; (t = pg_v_iter_next(&types));) {
        char p[PATH_MAX_LEN];
        pg_v_path(p, "%s%s", data ? "data." : "", t->string);
        if (!pg_v_is_identifier(t->string)) {
            pg_v_error(v, p, "type \"%s\" is not a valid identifier", t->string);
            continue;
        }
        if (!pg_v_is_object_or_objects(t)) {
            pg_v_error(v, p, "must be an object of labels");
            continue;
        }
        pg_v_iter labels;
        pg_v_iter_init(&labels, t);
        for (const cJSON *l; (l = pg_v_iter_next(&labels));) {
            pg_v_path(p, "%s%s.%s", data ? "data." : "", t->string, l->string);
            if (!pg_v_is_identifier(l->string)) {
                pg_v_error(v, p, "label \"%s\" is not a valid identifier", l->string);
                continue;
            }
            if (cJSON_IsArray(l)) {
                if (!pg_v_is_object_or_objects(l)) {
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
