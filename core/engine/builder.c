/* SPDX-License-Identifier: Apache-2.0 */
/* builder.c - the item lists of pg_resource(), pg_set(), pg_block() and
 * friends: a tag, then its arguments, until a NULL tag (paygen.h).
 *
 * One owner for each Terraform shape: a nested block is always appended to
 * an array, a map is merged, lifecycle settings merge instead of overwrite,
 * and a scalar argument set twice is an error naming the block. */
#include "run.h"

#include <stdarg.h>
#include <string.h>

typedef struct builder {
    pg_out *out;
    const pg_block_info *owner; /* the resource or data block, when known */
    bool broken;                /* a malformed list: stop reading it */
    int skipping;               /* inside a PG_IF that does not hold */
} builder;

static void add_import(builder *b, const cJSON *target, const char *id);

static const char *where(const builder *b)
{
    return b->owner ? b->owner->address : "a block";
}

static bool is_tag(const char *tag, const char *want)
{
    return !strcmp(tag, want);
}

/* cJSON_GetObjectItemCaseSensitive, with the first characters compared
 * before strcmp: every argument set asks it whether the key is taken. */
static cJSON *member(const cJSON *object, const char *key)
{
    cJSON *c = object ? object->child : NULL;
    while (c && c->string && (c->string[0] != key[0] || strcmp(c->string, key)))
        c = c->next;
    return c && c->string ? c : NULL;
}

/* Adds key = value unless the key is there already (then an error). */
static void put(builder *b, cJSON *target, const char *key, cJSON *value)
{
    if (b->skipping) {
        cJSON_Delete(value);
        return;
    }
    if (!key || !value) {
        pg_error(b->out, "%s: argument '%s' has no value", where(b), key ? key : "(null)");
        cJSON_Delete(value);
        return;
    }
    if (member(target, key)) {
        pg_error(b->out, "%s: sets '%s' twice", where(b), key);
        cJSON_Delete(value);
        return;
    }
    cJSON_AddItemToObject(target, key, value);
}

static cJSON *child(builder *b, cJSON *target, const char *key, int type)
{
    cJSON *c = member(target, key);
    if (c && (c->type & 0xff) != type) {
        pg_error(b->out, "%s: '%s' is already set to a value of another shape", where(b), key);
        return NULL;
    }
    if (!c) {
        c = type == cJSON_Array ? cJSON_CreateArray() : cJSON_CreateObject();
        cJSON_AddItemToObject(target, key, c);
    }
    return c;
}

static cJSON *lifecycle(builder *b, cJSON *target)
{
    return child(b, target, "lifecycle", cJSON_Object);
}

/* first and the strings after it in *ap, up to a NULL, as a JSON array. */
static cJSON *string_list(const char *first, va_list *ap)
{
    cJSON *list = cJSON_CreateArray();
    for (const char *s = first; s; s = va_arg(*ap, const char *))
        cJSON_AddItemToArray(list, cJSON_CreateString(s));
    return list;
}

cJSON *pg_strings_(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    cJSON *list = string_list(first, &ap);
    va_end(ap);
    return list;
}

static bool has_string(const cJSON *list, const char *s)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
        if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
            return true;
    return false;
}

/* Appends the strings of a NULL-terminated va_list to target[key], once each. */
static void merge_strings(builder *b, cJSON *target, const char *key, cJSON *strings)
{
    cJSON *list = child(b, target, key, cJSON_Array);
    while (list && strings->child) {
        cJSON *s = cJSON_DetachItemViaPointer(strings, strings->child);
        if (has_string(list, s->valuestring))
            cJSON_Delete(s);
        else
            cJSON_AddItemToArray(list, s);
    }
    cJSON_Delete(strings);
}

static void apply_items(builder *b, cJSON *target, va_list *ap);

/* One item whose tag was read; false when the list is malformed. */
static bool apply_item(builder *b, cJSON *target, const char *tag, va_list *ap)
{
    pg_out *out = b->out;
    if (is_tag(tag, PG_I_STR)) {
        const char *key = va_arg(*ap, const char *);
        const char *value = va_arg(*ap, const char *);
        put(b, target, key, value ? cJSON_CreateString(value) : NULL);
    } else if (is_tag(tag, PG_I_INT)) {
        const char *key = va_arg(*ap, const char *);
        put(b, target, key, cJSON_CreateNumber((double)va_arg(*ap, long long)));
    } else if (is_tag(tag, PG_I_NUM)) {
        const char *key = va_arg(*ap, const char *);
        put(b, target, key, cJSON_CreateNumber(va_arg(*ap, double)));
    } else if (is_tag(tag, PG_I_BOOL)) {
        const char *key = va_arg(*ap, const char *);
        put(b, target, key, cJSON_CreateBool(va_arg(*ap, int) != 0));
    } else if (is_tag(tag, PG_I_REF)) {
        const char *key = va_arg(*ap, const char *);
        const cJSON *block = va_arg(*ap, const cJSON *);
        const char *attribute = va_arg(*ap, const char *);
        if (!b->skipping)
            put(b, target, key, cJSON_CreateString(pg_ref(out, block, attribute)));
    } else if (is_tag(tag, PG_I_STRS)) {
        const char *key = va_arg(*ap, const char *);
        put(b, target, key, string_list(va_arg(*ap, const char *), ap));
    } else if (is_tag(tag, PG_I_STRV)) {
        const char *key = va_arg(*ap, const char *);
        const char *const *items = va_arg(*ap, const char *const *);
        size_t count = va_arg(*ap, size_t);
        cJSON *list = cJSON_CreateArray();
        for (size_t i = 0; items && i < count; i++)
            cJSON_AddItemToArray(list, cJSON_CreateString(items[i] ? items[i] : ""));
        put(b, target, key, list);
    } else if (is_tag(tag, PG_I_JSON)) {
        const char *key = va_arg(*ap, const char *);
        put(b, target, key, va_arg(*ap, cJSON *));
    } else if (is_tag(tag, PG_I_BLOCK)) {
        const char *key = va_arg(*ap, const char *);
        cJSON *list = key ? child(b, target, key, cJSON_Array) : NULL;
        cJSON *block = cJSON_CreateObject();
        apply_items(b, block, ap);
        if (list)
            cJSON_AddItemToArray(list, block);
        else
            cJSON_Delete(block);
    } else if (is_tag(tag, PG_I_MAP)) {
        const char *key = va_arg(*ap, const char *);
        cJSON *map = key ? child(b, target, key, cJSON_Object) : NULL;
        cJSON *scratch = map ? NULL : cJSON_CreateObject();
        apply_items(b, map ? map : scratch, ap);
        cJSON_Delete(scratch);
    } else if (is_tag(tag, PG_I_NAME)) {
        const char *kind = va_arg(*ap, const char *);
        if (b->skipping)
            return true;
        const pg_region *r = b->owner ? b->owner->region_ptr : NULL;
        cJSON *tags = child(b, target, "tags", cJSON_Object);
        if (tags)
            pg_set_name_tag(out, tags, r, kind ? kind : "");
    } else if (is_tag(tag, PG_I_DEPENDS)) {
        cJSON *addresses = cJSON_CreateArray();
        for (const cJSON *blk = va_arg(*ap, const cJSON *); blk; blk = va_arg(*ap, const cJSON *))
            if (!b->skipping)
                cJSON_AddItemToArray(addresses, cJSON_CreateString(pg_address(out, blk)));
        merge_strings(b, target, "depends_on", addresses);
    } else if (is_tag(tag, PG_I_PROTECT)) {
        cJSON *lc = out->ctx->protect ? lifecycle(b, target) : NULL;
        if (lc && !cJSON_GetObjectItemCaseSensitive(lc, "prevent_destroy"))
            cJSON_AddBoolToObject(lc, "prevent_destroy", true);
    } else if (is_tag(tag, PG_I_IGNORE)) {
        cJSON *names = string_list(va_arg(*ap, const char *), ap);
        cJSON *lc = lifecycle(b, target);
        if (lc)
            merge_strings(b, lc, "ignore_changes", names);
        else
            cJSON_Delete(names);
    } else if (is_tag(tag, PG_I_CBD)) {
        cJSON *lc = lifecycle(b, target);
        if (lc && !cJSON_GetObjectItemCaseSensitive(lc, "create_before_destroy"))
            cJSON_AddBoolToObject(lc, "create_before_destroy", true);
    } else if (is_tag(tag, PG_I_IMPORT)) {
        const char *id = va_arg(*ap, const char *);
        if (!b->skipping)
            add_import(b, target, id);
    } else if (is_tag(tag, PG_I_IF)) {
        bool keep = va_arg(*ap, int) != 0;
        const char *next = va_arg(*ap, const char *);
        if (!next)
            return false;
        if (keep)
            return apply_item(b, target, next, ap);
        /* Read the item all the same, into an object thrown away. */
        cJSON *scratch = cJSON_CreateObject();
        b->skipping++;
        bool ok = apply_item(b, scratch, next, ap);
        b->skipping--;
        cJSON_Delete(scratch);
        return ok;
    } else {
        return false;
    }
    return !b->broken;
}

/* import { to, id [, provider] } at the top of the block's stack: only for
 * a resource itself, never a nested block or a data source. */
static void add_import(builder *b, const cJSON *target, const char *id)
{
    const pg_block_info *o = b->owner;
    if (!o || o->is_data || target != o->block || !id || !*id) {
        pg_error(b->out, "%s: PG_IMPORT needs a resource and a non-empty id", where(b));
        return;
    }
    cJSON *imports = pg_out_imports(b->out, o->stack);
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "to", o->address);
    cJSON_AddStringToObject(entry, "id", id);
    if (o->region_ptr && !o->region_ptr->primary)
        cJSON_AddStringToObject(entry, "provider", o->region_ptr->provider);
    cJSON_AddItemToArray(imports, entry);
}

static void apply_items(builder *b, cJSON *target, va_list *ap)
{
    for (const char *tag = va_arg(*ap, const char *); tag; tag = va_arg(*ap, const char *))
        if (!apply_item(b, target, tag, ap)) {
            if (!b->broken)
                pg_error(b->out, "%s: malformed item list (a value where a PG_* item was expected)",
                         where(b));
            b->broken = true;
            return;
        }
}

void pg_build(pg_out *out, cJSON *target, va_list *ap)
{
    builder b = {.out = out, .owner = pg_out_info(out, target)};
    apply_items(&b, target, ap);
}

void pg_set_(pg_out *out, cJSON *block, ...)
{
    va_list ap;
    va_start(ap, block);
    if (block)
        pg_build(out, block, &ap);
    else
        pg_error(out, "pg_set() on a NULL block");
    va_end(ap);
}

cJSON *pg_block_(pg_out *out, cJSON *parent, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    builder b = {.out = out, .owner = pg_out_info(out, parent)};
    cJSON *list = parent && key ? child(&b, parent, key, cJSON_Array) : NULL;
    cJSON *block = cJSON_CreateObject();
    if (list)
        cJSON_AddItemToArray(list, block);
    else
        block = pg_out_scratch(out, block);
    apply_items(&b, block, &ap);
    va_end(ap);
    return block;
}
