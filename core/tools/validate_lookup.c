/* SPDX-License-Identifier: Apache-2.0 */
/* validate_lookup.c - looking up the names references use (resource types and
 * labels, data sources, variables, locals, modules, providers) without
 * scanning the document's large objects once per reference: each object is
 * indexed on its first lookup. The answers are pg_v_member's: the first
 * member of that key, as cJSON_GetObjectItemCaseSensitive finds it. */
#include <string.h>

#include "validate_internal.h"

static uint64_t hash_of(const void *members, size_t i)
{
    const pg_vmember *m = (const pg_vmember *)members + i;
    uint64_t h = pg_hash_ptr(m->object);
    return m->member ? pg_hash_str(m->member->string, h) : h;
}

/* The slot of object's member key, or of its mark when key is NULL; the
 * empty slot where it would go when absent. The hash is hash_of's. */
static size_t *slot(const pg_vstate *v, const cJSON *object, const char *key)
{
    uint64_t h = key ? pg_hash_str(key, pg_hash_ptr(object)) : pg_hash_ptr(object);
    size_t *s = pg_hashtab_first(&v->member_index, h);
    for (; s && *s; s = pg_hashtab_next(&v->member_index, s)) {
        const pg_vmember *m = &v->members[*s - 1];
        if (m->object == object && (key ? m->member && !strcmp(m->member->string, key) : !m->member))
            break;
    }
    return s;
}

static void add(pg_vstate *v, const cJSON *object, const cJSON *member)
{
    pg_hashtab_reserve(&v->member_index, v->member_count, hash_of, v->members);
    *slot(v, object, member ? member->string : NULL) = v->member_count + 1;
    pg_grow(&v->members, &v->member_cap, v->member_count + 1, sizeof *v->members);
    v->members[v->member_count++] = (pg_vmember){object, member};
}

/* The first member of each key; cJSON stops at a member without a key. */
static void index_object(pg_vstate *v, const cJSON *object)
{
    add(v, object, NULL);
    for (const cJSON *c = object->child; c && c->string; c = c->next)
        if (!*slot(v, object, c->string))
            add(v, object, c);
}

static const cJSON *member(pg_vstate *v, const cJSON *object, const char *key)
{
    if (!key)
        return NULL;
    const size_t *mark = slot(v, object, NULL);
    if (!mark || !*mark)
        index_object(v, object);
    const size_t *s = slot(v, object, key);
    return *s ? v->members[*s - 1].member : NULL;
}

const cJSON *pg_v_lookup(pg_vstate *v, const cJSON *node, const char *key)
{
    if (cJSON_IsObject(node))
        return member(v, node, key);
    const cJSON *item;
    if (cJSON_IsArray(node))
        cJSON_ArrayForEach(item, node)
        {
            const cJSON *hit = cJSON_IsObject(item) ? member(v, item, key) : NULL;
            if (hit)
                return hit;
        }
    return NULL;
}
