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
    free(out->slots);
    free(out->ptr_keys);
    free(out->ptr_slots);
    pg_arena_free(&out->arena);
    *out = (pg_out){0};
}

/* ------------------------------------------------------------ hash tables */

static uint64_t hash_str(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static uint64_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

static size_t *addr_slot(pg_out *out, pg_stack stack, const char *address)
{
    size_t mask = out->slot_count - 1;
    size_t i = hash_str(address, 1469598103934665603u + (uint64_t)stack) & mask;
    for (;; i = (i + 1) & mask) {
        size_t v = out->slots[i];
        if (!v)
            return &out->slots[i];
        const pg_block_info *b = &out->blocks[v - 1];
        if (b->stack == stack && !strcmp(b->address, address))
            return &out->slots[i];
    }
}

static size_t *ptr_slot(pg_out *out, const cJSON *block)
{
    size_t mask = out->slot_count - 1;
    size_t i = hash_ptr(block) & mask;
    for (;; i = (i + 1) & mask)
        if (!out->ptr_slots[i] || out->ptr_keys[i] == block)
            return &out->ptr_slots[i];
}

static void rehash(pg_out *out)
{
    free(out->slots);
    free(out->ptr_keys);
    free(out->ptr_slots);
    out->slot_count = out->slot_count ? out->slot_count * 2 : 256;
    out->slots = pg_xcalloc(out->slot_count, sizeof *out->slots);
    out->ptr_keys = pg_xcalloc(out->slot_count, sizeof *out->ptr_keys);
    out->ptr_slots = pg_xcalloc(out->slot_count, sizeof *out->ptr_slots);
    for (size_t i = 0; i < out->block_count; i++) {
        *addr_slot(out, out->blocks[i].stack, out->blocks[i].address) = i + 1;
        size_t *ps = ptr_slot(out, out->blocks[i].block);
        *ps = i + 1;
        out->ptr_keys[ps - out->ptr_slots] = out->blocks[i].block;
    }
}

const pg_block_info *pg_out_info(pg_out *out, const cJSON *block)
{
    if (!block || !out->slot_count)
        return NULL;
    size_t v = *ptr_slot(out, block);
    return v ? &out->blocks[v - 1] : NULL;
}

const pg_block_info *pg_out_find(pg_out *out, pg_stack stack, const char *address)
{
    if (!out->slot_count)
        return NULL;
    size_t v = *addr_slot(out, stack, address);
    return v ? &out->blocks[v - 1] : NULL;
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

static cJSON *child_object(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!o)
        o = cJSON_AddObjectToObject(parent, key);
    return o;
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
    char *full = region ? pg_xasprintf("%s_%s", label, region->code) : pg_xstrdup(label);
    char *address = is_data ? pg_xasprintf("data.%s.%s", type, full) : pg_xasprintf("%s.%s", type, full);
    const char *who = out->plugin ? out->plugin : "core";
    if (!valid_identifier(type) || !valid_identifier(full)) {
        pg_error(out, "'%s' is not a valid Terraform address", address);
        free(full);
        free(address);
        return scratch(out);
    }
    if (out->block_count * 2 >= out->slot_count)
        rehash(out);
    size_t *slot = addr_slot(out, out->current, address);
    if (*slot) {
        const pg_block_info *prev = &out->blocks[*slot - 1];
        pg_error(out, "writes %s in stack %s, already written by %s", address,
                 pg_stack_names[out->current], prev->plugin);
        free(full);
        free(address);
        return scratch(out);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(child_object(child_object(out->stacks[out->current], kind), type), full,
                          body);
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
    size_t *ps = ptr_slot(out, body);
    *ps = out->block_count;
    out->ptr_keys[ps - out->ptr_slots] = body;
    free(full);
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
    char *name = region ? pg_xasprintf("%s-%s-%s-%s-%s", c->project, kind, c->environment, c->suffix,
                                       region->code)
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
    cJSON_AddStringToObject(tf, "required_version", ">= 1.5.0");
    cJSON *aws = cJSON_AddObjectToObject(cJSON_AddObjectToObject(tf, "required_providers"), "aws");
    cJSON_AddStringToObject(aws, "source", "hashicorp/aws");
    cJSON_AddStringToObject(aws, "version", "~> 5.0");
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

/* Taggable resources without a Name get one from their label, so the console
 * lists every resource by the name of what it is ("main" in us-east-2 ->
 * payment-main-production-abc123-use2). */
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
        cJSON_DeleteItemFromObjectCaseSensitive(tags, "Name");
        cJSON_AddStringToObject(tags, "Name", pg_name(out, b->region_ptr, kind, 256));
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
