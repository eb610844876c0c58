/* registry.c - named references plugins publish and read (SPEC D5).
 *
 * A reference name starts with a namespace ("kms.database.arn" lives in
 * "kms"). A plugin may publish only in namespaces it provides and read only
 * namespaces it needs (or provides); that is what makes the declared needs
 * the true dependency graph the core orders plugins by. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

static bool lists(const char *const *names, const char *ns, size_t ns_len)
{
    for (; names && *names; names++)
        if (strlen(*names) == ns_len && !strncmp(*names, ns, ns_len))
            return true;
    return false;
}

static size_t namespace_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

static char *ref_key(const pg_region *region, const char *name)
{
    return pg_xasprintf("%s/%s", region ? region->code : "*", name);
}

static pg_reference *find(const pg_ctx *ctx, const char *key)
{
    for (size_t i = 0; i < ctx->ref_count; i++)
        if (!strcmp(ctx->refs[i].key, key))
            return &ctx->refs[i];
    return NULL;
}

const cJSON *pg_lookup(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const pg_plugin *p = ctx->current;
    size_t ns = namespace_len(name);
    bool core_ns = ns == 3 && !strncmp(name, "aws", 3);
    if (p && !core_ns && !lists(p->needs, name, ns) && !lists(p->provides, name, ns)) {
        if (ctx->misuse)
            pg_errors_add(ctx->misuse, "%s reads '%s' but does not declare the need '%.*s'",
                          p->name, name, (int)ns, name);
        return NULL;
    }
    char *key = ref_key(region, name);
    pg_reference *r = find(ctx, key);
    free(key);
    return r ? r->value : NULL;
}

const char *pg_lookup_string(const pg_ctx *ctx, const pg_region *region, const char *name)
{
    const cJSON *v = pg_lookup(ctx, region, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void pg_publish(pg_out *out, const pg_region *region, const char *name, const cJSON *value)
{
    pg_ctx *ctx = out->ctx;
    const pg_plugin *p = ctx->current;
    size_t ns = namespace_len(name);
    if (p && !lists(p->provides, name, ns)) {
        pg_error(out, "publishes '%s' outside the namespaces it provides", name);
        return;
    }
    if (!value) {
        pg_error(out, "publishes '%s' without a value", name);
        return;
    }
    char *key = ref_key(region, name);
    pg_reference *r = find(ctx, key);
    if (r) {
        pg_error(out, "publishes '%s'%s%s, already published by %s", name,
                 region ? " in " : "", region ? region->name : "", r->publisher);
        free(key);
        return;
    }
    pg_grow(&ctx->refs, &ctx->ref_cap, ctx->ref_count + 1, sizeof *ctx->refs);
    ctx->refs[ctx->ref_count++] = (pg_reference){
        .key = key,
        .value = cJSON_Duplicate(value, true),
        .publisher = p ? p->name : "core",
    };
}

void pg_publish_string(pg_out *out, const pg_region *region, const char *name, const char *value)
{
    cJSON *s = cJSON_CreateString(value ? value : "");
    pg_publish(out, region, name, s);
    cJSON_Delete(s);
}
