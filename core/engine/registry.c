/* SPDX-License-Identifier: Apache-2.0 */
/* registry.c - named references plugins publish and read (SPEC D5).
 *
 * Every name is declared: by the core ("aws.*") or in the publishes table of
 * a plugin, with its scope (global or per region) and kind (string or list).
 * A plugin publishes only names it declared, and reads only names some
 * plugin declared, in a namespace it needs; the declared needs are therefore
 * the true dependency graph the core orders plugins by. Any misuse is an
 * error naming the plugin and the name, never a quiet NULL. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

static const pg_publication core_publications[] = {
    {"aws.account_id", PG_GLOBAL, PG_KIND_STRING},
    {"aws.partition", PG_GLOBAL, PG_KIND_STRING},
    {"aws.region", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const kind_names[] = {"a string", "a list"};

/* "kms.*.arn" matches "kms.database.arn": '*' is one dotted segment. */
static bool name_matches(const char *pattern, const char *name)
{
    while (*pattern && *name) {
        if (*pattern == '*') {
            pattern++;
            while (*name && *name != '.')
                name++;
        } else if (*pattern++ != *name++) {
            return false;
        }
    }
    return !*pattern && !*name;
}

static const pg_publication *declared_in(const pg_publication *list, const char *name)
{
    for (; list && list->name; list++)
        if (name_matches(list->name, name))
            return list;
    return NULL;
}

static size_t namespace_len(const char *name)
{
    return strcspn(name, ".");
}

static bool lists(const char *const *names, const char *name, size_t len)
{
    for (; names && *names; names++)
        if (strlen(*names) == len && !strncmp(*names, name, len))
            return true;
    return false;
}

/* The declaration of name and who made it ("core" or a plugin). */
static const pg_publication *declaration(const pg_ctx *ctx, const char *name, const char **who)
{
    const pg_publication *d = declared_in(core_publications, name);
    *who = "core";
    for (size_t i = 0; !d && ctx->plugins && i < ctx->plugins->order_count; i++) {
        d = declared_in(ctx->plugins->order[i]->vt->publishes, name);
        *who = ctx->plugins->order[i]->vt->name;
    }
    return d;
}

static void misuse(const pg_ctx *ctx, const char *fmt, ...) PG_FMT(2, 3);
static void misuse(const pg_ctx *ctx, const char *fmt, ...)
{
    if (!ctx->misuse)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    pg_errors_add(ctx->misuse, "%s %s", ctx->current ? ctx->current->name : "core", msg);
    free(msg);
}

/* References are kept under "<scope>/<name>", the scope being the region
 * code or "*"; lookups compare and hash the two parts without joining them. */
static const char *scope_of(const pg_region *region)
{
    return region ? region->code : "*";
}

static bool is_key(const char *key, const char *scope, const char *name)
{
    size_t n = strlen(scope);
    return !strncmp(key, scope, n) && key[n] == '/' && !strcmp(key + n + 1, name);
}

/* The slot of scope/name in the index, or the empty slot where it would go;
 * NULL while nothing is published. The hash is the key's (key_hash). */
static size_t *ref_slot(const pg_ctx *ctx, const char *scope, const char *name)
{
    uint64_t h = pg_hash_str(name, pg_hash_str("/", pg_hash_str(scope, PG_HASH_SEED)));
    size_t *s = pg_hashtab_first(&ctx->ref_index, h);
    while (s && *s && !is_key(ctx->refs[*s - 1].key, scope, name))
        s = pg_hashtab_next(&ctx->ref_index, s);
    return s;
}

static pg_reference *find(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const size_t *s = ref_slot(ctx, scope_of(region), name);
    return s && *s ? &ctx->refs[*s - 1] : NULL;
}

static uint64_t key_hash(const void *refs, size_t i)
{
    return pg_hash_str(((const pg_reference *)refs)[i].key, PG_HASH_SEED);
}

/* The value of a reference the running plugin may read as `kind`; NULL
 * after reporting a misuse, or quietly when it was not published. */
static const cJSON *read_reference(const pg_ctx *ctx, const pg_region *region, const char *name,
                                   pg_kind kind, const char **publisher)
{
    const pg_plugin *p = ctx->current;
    const char *who = NULL;
    *publisher = NULL;
    if (!name)
        return NULL;
    const pg_publication *d = declaration(ctx, name, &who);
    size_t ns = namespace_len(name);
    if (!d) {
        misuse(ctx, "reads '%s', which no loaded plugin declares", name);
        return NULL;
    }
    if (p && strcmp(who, "core") && strcmp(who, p->name) && !lists(p->needs, name, ns)) {
        misuse(ctx, "reads '%s' but does not declare the need '%.*s'", name, (int)ns, name);
        return NULL;
    }
    if ((d->scope == PG_REGIONAL) != (region != NULL)) {
        misuse(ctx, "reads '%s' %s, but %s publishes it %s", name,
               region ? "in a region" : "globally", who,
               d->scope == PG_REGIONAL ? "per region" : "globally");
        return NULL;
    }
    if (d->kind != kind) {
        misuse(ctx, "reads '%s' as %s, but it is %s", name, kind_names[kind], kind_names[d->kind]);
        return NULL;
    }
    *publisher = who;
    const pg_reference *r = find(ctx, region, name);
    return r ? r->value : NULL;
}

const char *pg_lookup(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const char *who;
    const cJSON *v = read_reference(ctx, region, name, PG_KIND_STRING, &who);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *pg_lookup_list(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const char *who;
    const cJSON *v = read_reference(ctx, region, name, PG_KIND_LIST, &who);
    return cJSON_IsArray(v) ? v : NULL;
}

static void missing(const pg_ctx *ctx, const pg_region *region, const char *name, const char *who)
{
    misuse(ctx, "needs '%s'%s%s, which %s did not publish", name, region ? " in " : "",
           region ? region->name : "", who);
}

const char *pg_need(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const char *who;
    const cJSON *v = read_reference(ctx, region, name, PG_KIND_STRING, &who);
    if (who && !cJSON_IsString(v))
        missing(ctx, region, name, who);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *pg_need_list(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const char *who;
    const cJSON *v = read_reference(ctx, region, name, PG_KIND_LIST, &who);
    if (who && !cJSON_IsArray(v))
        missing(ctx, region, name, who);
    return cJSON_IsArray(v) ? v : NULL;
}

void pg_publish(pg_out *out, const pg_region *region, const char *name, cJSON *value)
{
    pg_ctx *ctx = out->ctx;
    const pg_plugin *p = ctx->current;
    const pg_publication *d =
        name ? declared_in(p ? p->publishes : core_publications, name) : NULL;
    const char *problem = NULL;
    if (!d)
        problem = "a name it does not declare in its publishes table";
    else if ((d->scope == PG_REGIONAL) != (region != NULL))
        problem = d->scope == PG_REGIONAL ? "without a region, but declares it per region"
                                          : "in a region, but declares it global";
    else if (!value)
        problem = "without a value";
    else if (!(d->kind == PG_KIND_STRING ? cJSON_IsString(value) : cJSON_IsArray(value)))
        problem = d->kind == PG_KIND_STRING ? "with a value that is not a string"
                                            : "with a value that is not a list";
    if (problem) {
        pg_error(out, "publishes '%s' %s", name ? name : "(null)", problem);
        cJSON_Delete(value);
        return;
    }
    pg_hashtab_reserve(&ctx->ref_index, ctx->ref_count, key_hash, ctx->refs);
    size_t *slot = ref_slot(ctx, scope_of(region), name);
    if (*slot) {
        pg_error(out, "publishes '%s'%s%s, already published by %s", name, region ? " in " : "",
                 region ? region->name : "", ctx->refs[*slot - 1].publisher);
        cJSON_Delete(value);
        return;
    }
    *slot = ctx->ref_count + 1;
    pg_grow(&ctx->refs, &ctx->ref_cap, ctx->ref_count + 1, sizeof *ctx->refs);
    ctx->refs[ctx->ref_count++] = (pg_reference){
        .key = pg_xasprintf("%s/%s", scope_of(region), name),
        .value = value,
        .publisher = p ? p->name : "core",
    };
}

void pg_publish_string(pg_out *out, const pg_region *region, const char *name, const char *value)
{
    pg_publish(out, region, name, value ? cJSON_CreateString(value) : NULL);
}

void pg_publish_refs_(pg_out *out, const pg_region *region, const char *prefix,
                      const cJSON *block, ...)
{
    va_list ap;
    va_start(ap, block);
    for (const char *attr = va_arg(ap, const char *); attr; attr = va_arg(ap, const char *))
        pg_publish_string(out, region, pg_printf(out, "%s.%s", prefix, attr),
                          pg_ref(out, block, attr));
    va_end(ap);
}
