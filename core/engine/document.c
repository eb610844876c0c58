/* SPDX-License-Identifier: Apache-2.0 */
/* document.c - the Terraform JSON the plugins build, one root per stack.
 *
 * Every block a plugin creates is recorded with its address and author, so
 * that a second writer of an address is an error naming both, and so that
 * pg_ref() can turn a block back into "${type.label.attr}". */
#include "run.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taggable.h"

const char *const pg_stack_names[PG_STACK_COUNT] = {"payment", "bootstrap"};

void pg_out_init(pg_out *out, pg_ctx *ctx, pg_errors *err)
{
    *out = (pg_out){.ctx = ctx, .err = err};
    for (size_t i = 0; i < PG_STACK_COUNT; i++)
        out->stacks[i] = cJSON_CreateObject();
}

void pg_out_free(pg_out *out)
{
    for (size_t i = 0; i < PG_STACK_COUNT; i++)
        cJSON_Delete(out->stacks[i]);
    cJSON_Delete(out->scratch);
    for (size_t i = 0; i < out->block_count; i++)
        free(out->blocks[i].address);
    free(out->blocks);
    pg_hashtab_free(&out->by_address);
    pg_hashtab_free(&out->by_body);
    pg_hashtab_free(&out->by_type);
    free(out->types);
    pg_arena_free(&out->arena);
    *out = (pg_out){0};
}

static cJSON *child_object(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!o)
        o = cJSON_AddObjectToObject(parent, key);
    return o;
}

/* ------------------------------------------------------------ hash tables */

static uint64_t address_hash(const void *blocks, size_t i)
{
    const pg_block_info *b = (const pg_block_info *)blocks + i;
    return pg_hash_str(b->address, PG_HASH_SEED + (uint64_t)b->stack);
}

static uint64_t body_hash(const void *blocks, size_t i)
{
    return pg_hash_ptr(((const pg_block_info *)blocks)[i].block);
}

static bool is_at(const pg_block_info *b, pg_stack stack, const char *address)
{
    return b->stack == stack && !strcmp(b->address, address);
}

/* The slot of (stack, address), or the empty slot where it would go. */
static size_t *address_slot(pg_out *out, pg_stack stack, const char *address)
{
    size_t *s = pg_hashtab_first(&out->by_address, pg_hash_str(address, PG_HASH_SEED + (uint64_t)stack));
    while (s && *s && !is_at(&out->blocks[*s - 1], stack, address))
        s = pg_hashtab_next(&out->by_address, s);
    return s;
}

/* The slot of a block's body, or the empty slot where it would go. */
static size_t *body_slot(pg_out *out, const cJSON *block)
{
    size_t *s = pg_hashtab_first(&out->by_body, pg_hash_ptr(block));
    while (s && *s && out->blocks[*s - 1].block != block)
        s = pg_hashtab_next(&out->by_body, s);
    return s;
}

static uint64_t type_hash(const void *types, size_t i)
{
    const pg_type_object *t = (const pg_type_object *)types + i;
    return pg_hash_str(t->object->string, pg_hash_ptr(t->section));
}

/* The slot of a type in a section, or the empty slot where it would go. */
static size_t *type_slot(pg_out *out, const cJSON *section, const char *type)
{
    size_t *s = pg_hashtab_first(&out->by_type, pg_hash_str(type, pg_hash_ptr(section)));
    while (s && *s && !(out->types[*s - 1].section == section && !strcmp(out->types[*s - 1].object->string, type)))
        s = pg_hashtab_next(&out->by_type, s);
    return s;
}

/* The object of a type in a section of the current stack ("resource" ->
 * "aws_vpc" -> labels), made when new. Indexed: a stack has hundreds. */
static cJSON *type_object(pg_out *out, const char *kind, const char *type)
{
    cJSON *section = child_object(out->stacks[out->current], kind);
    const size_t *s = type_slot(out, section, type);
    if (s && *s)
        return out->types[*s - 1].object;
    pg_hashtab_reserve(&out->by_type, out->type_count, type_hash, out->types);
    *type_slot(out, section, type) = out->type_count + 1;
    pg_grow(&out->types, &out->type_cap, out->type_count + 1, sizeof *out->types);
    out->types[out->type_count] = (pg_type_object){section, child_object(section, type)};
    return out->types[out->type_count++].object;
}

const pg_block_info *pg_out_info(pg_out *out, const cJSON *block)
{
    const size_t *s = block ? body_slot(out, block) : NULL;
    return s && *s ? &out->blocks[*s - 1] : NULL;
}

const pg_block_info *pg_out_find(pg_out *out, pg_stack stack, const char *address)
{
    const size_t *s = address_slot(out, stack, address);
    return s && *s ? &out->blocks[*s - 1] : NULL;
}

/* --------------------------------------------------------------- blocks */

/* A detached object for a plugin to fill after its write was refused: the
 * run already failed, and the plugin must not crash on a NULL. */
cJSON *pg_out_scratch(pg_out *out, cJSON *node)
{
    if (!out->scratch)
        out->scratch = cJSON_CreateArray();
    cJSON_AddItemToArray(out->scratch, node);
    return node;
}

static cJSON *scratch(pg_out *out)
{
    return pg_out_scratch(out, cJSON_CreateObject());
}

static bool valid_identifier(const char *s)
{
    if (!*s || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static cJSON *new_block(pg_out *out, const pg_region *region, const char *kind, const char *type,
                        const char *label)
{
    bool is_data = !strcmp(kind, "data");
    const char *prefix = is_data ? "data." : "";
    char *address = region ? pg_xasprintf("%s%s.%s_%s", prefix, type, label, region->code)
                           : pg_xasprintf("%s%s.%s", prefix, type, label);
    const char *full = address + strlen(prefix) + strlen(type) + 1; /* the label with its region code */
    const char *who = out->plugin ? out->plugin : "core";
    if (!valid_identifier(type) || !valid_identifier(full)) {
        pg_error(out, "'%s' is not a valid Terraform address", address);
        free(address);
        return scratch(out);
    }
    pg_hashtab_reserve(&out->by_address, out->block_count, address_hash, out->blocks);
    pg_hashtab_reserve(&out->by_body, out->block_count, body_hash, out->blocks);
    size_t *slot = address_slot(out, out->current, address);
    if (*slot) {
        const pg_block_info *prev = &out->blocks[*slot - 1];
        pg_error(out, "writes %s in stack %s, already written by %s", address,
                 pg_stack_names[out->current], prev->plugin);
        free(address);
        return scratch(out);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(type_object(out, kind, type), full, body);
    if (region && !region->primary)
        cJSON_AddStringToObject(body, "provider", region->provider);
    pg_grow(&out->blocks, &out->block_cap, out->block_count + 1, sizeof *out->blocks);
    pg_block_info *b = &out->blocks[out->block_count++];
    *b = (pg_block_info){
        .block = body,
        .address = address,
        .type = pg_arena_dup(&out->arena, type),
        .plugin = pg_arena_dup(&out->arena, who),
        .region = region ? region->code : NULL,
        .region_ptr = region,
        .label = pg_arena_dup(&out->arena, label),
        .stack = out->current,
        .is_data = is_data,
    };
    *slot = out->block_count;
    *body_slot(out, body) = out->block_count;
    return body;
}

void pg_use_stack(pg_out *out, pg_stack stack)
{
    if ((int)stack >= 0 && stack < PG_STACK_COUNT)
        out->current = stack;
}

cJSON *pg_resource_(pg_out *out, const pg_region *region, const char *type, const char *label, ...)
{
    cJSON *block = new_block(out, region, "resource", type, label);
    va_list ap;
    va_start(ap, label);
    pg_build(out, block, &ap);
    va_end(ap);
    return block;
}

cJSON *pg_data_(pg_out *out, const pg_region *region, const char *type, const char *label, ...)
{
    cJSON *block = new_block(out, region, "data", type, label);
    va_list ap;
    va_start(ap, label);
    pg_build(out, block, &ap);
    va_end(ap);
    return block;
}

static cJSON *named_entry(pg_out *out, const char *section, const char *name)
{
    cJSON *parent = child_object(out->stacks[out->current], section);
    if (cJSON_GetObjectItemCaseSensitive(parent, name)) {
        pg_error(out, "writes %s.%s in stack %s twice or over another plugin", section, name,
                 pg_stack_names[out->current]);
        return scratch(out);
    }
    return cJSON_AddObjectToObject(parent, name);
}

cJSON *pg_variable_(pg_out *out, const char *name, const char *type, const char *description, ...)
{
    cJSON *v = named_entry(out, "variable", name);
    if (type)
        cJSON_AddStringToObject(v, "type", type);
    if (description)
        cJSON_AddStringToObject(v, "description", description);
    va_list ap;
    va_start(ap, description);
    pg_build(out, v, &ap);
    va_end(ap);
    return v;
}

void pg_output(pg_out *out, const char *name, const char *value, const char *description)
{
    cJSON *o = named_entry(out, "output", name);
    cJSON_AddStringToObject(o, "value", value ? value : "");
    if (description)
        cJSON_AddStringToObject(o, "description", description);
}

void pg_local(pg_out *out, const char *name, cJSON *value)
{
    cJSON *locals = child_object(out->stacks[out->current], "locals");
    if (!value || cJSON_GetObjectItemCaseSensitive(locals, name)) {
        pg_error(out, "writes local.%s in stack %s %s", name, pg_stack_names[out->current],
                 value ? "twice or over another plugin" : "without a value");
        if (value)
            pg_out_scratch(out, value);
        return;
    }
    cJSON_AddItemToObject(locals, name, value);
}

void pg_local_string(pg_out *out, const char *name, const char *expression)
{
    pg_local(out, name, expression ? cJSON_CreateString(expression) : NULL);
}

cJSON *pg_backend_(pg_out *out, const char *kind, ...)
{
    cJSON *tf = child_object(out->stacks[out->current], "terraform");
    cJSON *backend;
    if (cJSON_GetObjectItemCaseSensitive(tf, "backend")) {
        pg_error(out, "sets a second backend in stack %s", pg_stack_names[out->current]);
        backend = scratch(out);
    } else {
        backend = cJSON_AddObjectToObject(cJSON_AddObjectToObject(tf, "backend"), kind);
    }
    va_list ap;
    va_start(ap, kind);
    pg_build(out, backend, &ap);
    va_end(ap);
    return backend;
}

const char *pg_address(pg_out *out, const cJSON *block)
{
    const pg_block_info *b = pg_out_info(out, block);
    if (!b) {
        pg_error(out, "asks for the address of a block paygen did not create");
        return "";
    }
    return b->address;
}

const char *pg_ref(pg_out *out, const cJSON *block, const char *attribute)
{
    const char *address = pg_address(out, block);
    return pg_arena_keep(&out->arena, pg_xasprintf("${%s.%s}", address, attribute));
}

const char *pg_printf(pg_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pg_xvasprintf(fmt, ap);
    va_end(ap);
    return pg_arena_keep(&out->arena, s);
}

static void report(pg_out *out, const char *fmt, va_list ap)
{
    char *msg = pg_xvasprintf(fmt, ap);
    pg_errors_add(out->err, "plugin %s: %s", out->plugin ? out->plugin : "core", msg);
    free(msg);
}

void pg_error(pg_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(out, fmt, ap);
    va_end(ap);
}

cJSON *pg_out_imports(pg_out *out, pg_stack stack)
{
    cJSON *doc = out->stacks[stack];
    cJSON *imports = cJSON_GetObjectItemCaseSensitive(doc, "import");
    return imports ? imports : cJSON_AddArrayToObject(doc, "import");
}

int pg_fail_at(pg_out *out, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    const pg_resolved *r = key ? pg_settings_get(&out->ctx->settings, key) : NULL;
    const char *who = out->plugin ? out->plugin : "core";
    if (r && r->at.line)
        pg_errors_add(out->err, "%s:%d:%d: plugin %s: %s: %s", r->at.file, r->at.line, r->at.col,
                      who, key, msg);
    else if (r && r->at.file && !strcmp(r->at.file, "--set"))
        pg_errors_add(out->err, "--set %s: plugin %s: %s", key, who, msg);
    else
        pg_errors_add(out->err, "plugin %s: %s (not set): %s", who, key ? key : "?", msg);
    free(msg);
    return -1;
}

int pg_fail(pg_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(out, fmt, ap);
    va_end(ap);
    return -1;
}

const char *pg_name(pg_out *out, const pg_region *region, const char *kind, size_t max_len)
{
    const pg_ctx *c = out->ctx;
    /* payment-{resource-type}-{environment}-{suffix}; the region code, where
     * a name needs one, is part of the type: payment-db-cluster-use1-production-abc123 */
    char *name = region ? pg_xasprintf("%s-%s-%s-%s-%s", c->project, kind, region->code,
                                       c->environment, c->suffix)
                        : pg_xasprintf("%s-%s-%s-%s", c->project, kind, c->environment, c->suffix);
    if (max_len && strlen(name) > max_len) {
        pg_error(out, "name '%s' (%s) is %zu characters, over the AWS limit of %zu; shorten the "
                      "environment or the suffix",
                 name, kind, strlen(name), max_len);
        free(name);
        return "";
    }
    return pg_arena_keep(&out->arena, name);
}

/* ---------------------------------------------------------------- finish */

static cJSON *default_tags(const pg_ctx *c)
{
    cJSON *tags = cJSON_CreateObject();
    cJSON_AddStringToObject(tags, "Project", c->project);
    cJSON_AddStringToObject(tags, "Environment", c->environment);
    cJSON_AddStringToObject(tags, "MigrationPhase", c->phase_name);
    cJSON_AddStringToObject(tags, "CutoverTimestamp", c->cutover);
    cJSON_AddStringToObject(tags, "Suffix", c->suffix);
    cJSON_AddStringToObject(tags, "Owner", c->owner);
    cJSON_AddStringToObject(tags, "ManagedBy", "paygen");
    return tags;
}

static void add_providers(pg_out *out, cJSON *root)
{
    const pg_ctx *c = out->ctx;
    cJSON *list = cJSON_CreateArray();
    /* Every region of the profile, active in this phase or not: after a
     * rollback to legacy, the secondary's resources are still in state and
     * Terraform needs their provider to destroy them. */
    for (size_t i = 0; i < c->region_count; i++) {
        const pg_region *r = &c->regions[i];
        cJSON *p = cJSON_CreateObject();
        if (!r->primary)
            cJSON_AddStringToObject(p, "alias", r->code);
        cJSON_AddStringToObject(p, "region", r->name);
        cJSON *dt = cJSON_CreateObject();
        cJSON_AddItemToObject(dt, "tags", default_tags(c));
        cJSON *dts = cJSON_CreateArray();
        cJSON_AddItemToArray(dts, dt);
        cJSON_AddItemToObject(p, "default_tags", dts);
        cJSON_AddItemToArray(list, p);
    }
    cJSON_AddItemToObject(child_object(root, "provider"), "aws", list);
}

static void add_terraform_settings(cJSON *root, const char *stack)
{
    cJSON *tf = child_object(root, "terraform");
    /* 1.6.0 alone refuses a KMS alias in the S3 backend's kms_key_id
     * (hashicorp/terraform#33979, fixed in 1.6.1 by #33993); the backend names
     * the state key by alias, as nothing in a terraform block may be an
     * expression and the key's ARN exists only after the bootstrap apply. */
    cJSON_AddStringToObject(tf, "required_version", ">= 1.5.0, != 1.6.0");
    cJSON *aws = cJSON_AddObjectToObject(cJSON_AddObjectToObject(tf, "required_providers"), "aws");
    cJSON_AddStringToObject(aws, "source", "hashicorp/aws");
    /* older 5.x releases lack arguments the output sets */
    cJSON_AddStringToObject(aws, "version", PG_AWS_PROVIDER_CONSTRAINT);
    if (!cJSON_GetObjectItemCaseSensitive(tf, "backend"))
        cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(tf, "backend"), "local"),
                                "path", "terraform.tfstate");
    cJSON *meta = child_object(root, "//");
    cJSON *m = cJSON_AddObjectToObject(meta, "metadata");
    cJSON_AddStringToObject(m, "stackName", stack);
    cJSON_AddStringToObject(m, "generator", "paygen " PAYGEN_VERSION);
}

/* D2: a plan in another workspace than the profile's environment fails in
 * the plan, before anything is created, changed or destroyed. */
static void add_workspace_guard(pg_out *out, pg_stack stack)
{
    const pg_ctx *c = out->ctx;
    pg_use_stack(out, stack);
    pg_resource(out, NULL, "terraform_data", "workspace_guard",
                PG_STR("input", c->environment),
                PG_MAP("lifecycle",
                       PG_BLOCK("precondition",
                                PG_STR("condition",
                                       pg_printf(out, "${terraform.workspace == \"%s\"}",
                                                 c->environment)),
                                PG_STR("error_message",
                                       pg_printf(out,
                                                 "This configuration belongs to the %s environment: "
                                                 "run 'terraform workspace select %s' before "
                                                 "planning.",
                                                 c->environment, c->environment)))));
}

void pg_set_name_tag(pg_out *out, cJSON *tags, const pg_region *region, const char *kind)
{
    cJSON_DeleteItemFromObjectCaseSensitive(tags, "Name");
    cJSON_AddStringToObject(tags, "Name", pg_name(out, region, kind, 256));
}

/* Taggable resources without a Name get one from their label, so the console
 * lists every resource by the name of what it is ("main" in us-east-2 ->
 * payment-main-use2-production-abc123). */
static void name_tags(pg_out *out)
{
    for (size_t i = 0; i < out->block_count; i++) {
        const pg_block_info *b = &out->blocks[i];
        if (b->is_data || !pg_type_is_taggable(b->type))
            continue;
        cJSON *block = (cJSON *)b->block;
        cJSON *tags = cJSON_GetObjectItemCaseSensitive(block, "tags");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(tags, "Name");
        if (cJSON_IsString(name) && *name->valuestring)
            continue;
        if (!cJSON_IsObject(tags)) {
            cJSON_DeleteItemFromObjectCaseSensitive(block, "tags");
            tags = cJSON_AddObjectToObject(block, "tags");
        }
        char *kind = pg_xstrdup(b->label);
        for (char *c = kind; *c; c++)
            if (*c == '_')
                *c = '-';
        const char *saved = out->plugin;
        out->plugin = b->plugin;
        pg_set_name_tag(out, tags, b->region_ptr, kind);
        out->plugin = saved;
        free(kind);
    }
}

int pg_out_finish(pg_out *out)
{
    size_t before = out->err->count;
    const char *saved = out->plugin;
    out->plugin = "core";
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        add_workspace_guard(out, (pg_stack)s);
        add_providers(out, out->stacks[s]);
        add_terraform_settings(out->stacks[s], pg_stack_names[s]);
    }
    out->plugin = saved;
    name_tags(out);
    return out->err->count > before ? -1 : 0;
}
