/*
 * paygen.h - the plugin interface of paygen, ABI 2.0.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * A plugin is a shared object that ends with one line,
 *
 *     PG_PLUGIN_DEFINE("kms", "2.0.0", "Apache-2.0", "customer-managed keys",
 *                      publishes, needs, settings, sizeof(kms_config), contribute)
 *
 * which writes a static, versioned descriptor and the one exported symbol
 * paygen_plugin_entry() that returns it. The core loads every plugin on the
 * search path, orders them by the references they need and publish, fills
 * each plugin's config struct from the profile, and calls contribute() once
 * with a read-only context and an output handle.
 *
 * Contribute() reads like the Terraform it writes:
 *
 *     cJSON *tg = pg_resource(out, r, "aws_lb_target_group", "blue",
 *                             PG_STR("name", name),
 *                             PG_INT("port", 8443),
 *                             PG_BLOCK("health_check",
 *                                      PG_STR("path", "/health"),
 *                                      PG_INT("interval", 15)),
 *                             PG_NAME("tg-blue"));
 *
 * Rules, once for the whole interface:
 *  - Ownership: every cJSON * handed to a pg_* call (PG_JSON, pg_local,
 *    pg_publish, ...) is taken by the core. A plugin never calls cJSON_Delete
 *    on what it passed. Everything the core hands out (strings, cJSON nodes,
 *    regions, the config struct) belongs to the core and lives until the run
 *    ends; a plugin frees none of it and keeps none of it across runs.
 *  - Nested blocks always come out as arrays of objects
 *    ("health_check": [{...}]), the one form Terraform JSON accepts for any
 *    number of blocks. Maps (tags, variables) and the meta-block lifecycle are
 *    objects.
 *  - Errors: a plugin reports with pg_fail()/pg_error(); the run then fails and
 *    nothing is written. Every error names the plugin.
 *  - cJSON is part of this ABI: the core and the plugins link the system's
 *    libcjson (>= 1.7.15, pkg-config libcjson); never vendor a copy.
 *  - The header compiles as C11 and as C++17; nothing here needs designated
 *    initializers.
 *  - Threads: the core calls plugins one at a time, from one thread.
 *
 * Versioning: a plugin is accepted when its abi_major equals the core's and its
 * abi_minor is not newer. A minor version only appends fields to the
 * descriptor (struct_size tells the core which ones a plugin has) and adds
 * functions; anything else is a major version.
 */
#ifndef PAYGEN_H
#define PAYGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#define PG_EXTERN_C extern "C"
#else
#define PG_EXTERN_C
#endif

#define PG_ABI_MAJOR 2
#define PG_ABI_MINOR 1

#if defined(__GNUC__)
#define PG_VISIBLE __attribute__((visibility("default")))
#define PG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PG_SENTINEL __attribute__((sentinel))
#else
#define PG_VISIBLE
#define PG_PRINTF(f, a)
#define PG_SENTINEL
#endif

typedef struct pg_ctx pg_ctx; /* read-only view of the run */
typedef struct pg_out pg_out; /* where a plugin writes    */

typedef enum pg_phase {
    PG_PHASE_LEGACY = 0,     /* one region, today's footprint      */
    PG_PHASE_MIGRATION = 1,  /* secondary built, replicating       */
    PG_PHASE_PRODUCTION = 2  /* every region serves, failover on   */
} pg_phase;

/* ---------------------------------------------------------------- settings */

/* A profile key a plugin owns, and the field of the plugin's config struct
 * the core fills with its value before contribute() runs. The core rejects
 * profile keys nobody declared, values of the wrong type, integers out of
 * range and choices not listed, each with FILE:LINE:COL. */
typedef enum pg_setting_type {
    PG_TYPE_STRING, /* const char *                                        */
    PG_TYPE_INT,    /* long, within [min, max]                             */
    PG_TYPE_BOOL,   /* bool                                                */
    PG_TYPE_LIST,   /* pg_list (a YAML sequence of strings)                */
    PG_TYPE_CHOICE  /* const char *, one of choices ("a|b|c")              */
} pg_setting_type;

typedef struct pg_list {
    const char *const *items;
    size_t count;
} pg_list;

typedef struct pg_setting {
    const char *key;           /* dotted path: "database.instance_count"        */
    pg_setting_type type;
    const char *default_value; /* YAML scalar text; NULL means required          */
    long min, max;             /* PG_TYPE_INT: inclusive bounds                  */
    const char *choices;       /* PG_TYPE_CHOICE: "STANDARD|STANDARD_IA"         */
    size_t offset;             /* offsetof(config struct, field)                 */
    const char *help;          /* one line, shown by `paygen settings` and docs  */
} pg_setting;

#define PG_SETTING_STRING(key, config, field, def, help) \
    {(key), PG_TYPE_STRING, (def), 0, 0, NULL, offsetof(config, field), (help)}
#define PG_SETTING_INT(key, config, field, def, min, max, help) \
    {(key), PG_TYPE_INT, (def), (min), (max), NULL, offsetof(config, field), (help)}
#define PG_SETTING_BOOL(key, config, field, def, help) \
    {(key), PG_TYPE_BOOL, (def), 0, 0, NULL, offsetof(config, field), (help)}
#define PG_SETTING_LIST(key, config, field, def, help) \
    {(key), PG_TYPE_LIST, (def), 0, 0, NULL, offsetof(config, field), (help)}
#define PG_SETTING_CHOICE(key, config, field, def, choices, help) \
    {(key), PG_TYPE_CHOICE, (def), 0, 0, (choices), offsetof(config, field), (help)}
#define PG_SETTINGS_END {NULL, PG_TYPE_STRING, NULL, 0, 0, NULL, 0, NULL}

/* -------------------------------------------------------------- references */

/* A reference a plugin publishes for later plugins. A '*' in a name stands
 * for one dotted segment ("kms.*.arn"). A lookup of a name nobody declared, in
 * the wrong scope or as the wrong kind is an error naming the plugin. */
typedef enum pg_scope { PG_GLOBAL, PG_REGIONAL } pg_scope;
typedef enum pg_kind {
    PG_KIND_STRING, /* a Terraform expression or literal: "${aws_vpc.main_use1.id}" */
    PG_KIND_LIST    /* a JSON array of them                                         */
} pg_kind;

typedef struct pg_publication {
    const char *name;
    pg_scope scope;
    pg_kind kind;
} pg_publication;

#define PG_PUBLICATIONS_END {NULL, PG_GLOBAL, PG_KIND_STRING}

/* -------------------------------------------------------------- descriptor */

typedef struct pg_plugin {
    int abi_major;                      /* PG_ABI_MAJOR at build time        */
    int abi_minor;                      /* PG_ABI_MINOR at build time        */
    size_t struct_size;                 /* sizeof(pg_plugin) at build time   */
    const char *name;                   /* one AWS service: "kms", "vpc"     */
    const char *version;                /* the plugin's own version          */
    const char *license;                /* SPDX identifier: "Apache-2.0"     */
    const char *description;            /* one line                          */
    const pg_publication *publishes;    /* ends with PG_PUBLICATIONS_END     */
    const char *const *needs;           /* namespaces it reads; NULL-terminated */
    const pg_setting *settings;         /* ends with PG_SETTINGS_END         */
    size_t config_size;                 /* sizeof the struct settings fill   */

    /* Adds this plugin's resources for the context's phase. Returns 0, or -1
     * after reporting why with pg_fail()/pg_error(). */
    int (*contribute)(const pg_ctx *ctx, pg_out *out);
} pg_plugin;

typedef const pg_plugin *(*pg_plugin_entry_fn)(void);
PG_VISIBLE const pg_plugin *paygen_plugin_entry(void);

/* The descriptor and the entry symbol, at the end of a plugin. publishes,
 * needs and settings may be NULL; config_size is 0 without settings. */
#define PG_PLUGIN_DEFINE(name_, version_, license_, description_, publishes_, needs_, settings_, \
                         config_size_, contribute_)                                           \
    static const pg_plugin pg_plugin_descriptor_ = {                                          \
        PG_ABI_MAJOR, PG_ABI_MINOR,  sizeof(pg_plugin), (name_),        (version_),           \
        (license_),   (description_), (publishes_),     (needs_),       (settings_),          \
        (config_size_), (contribute_)};                                                       \
    PG_EXTERN_C PG_VISIBLE const pg_plugin *paygen_plugin_entry(void)                        \
    {                                                                                         \
        return &pg_plugin_descriptor_;                                                        \
    }

/* ----------------------------------------------------------------- context */

typedef struct pg_region {
    const char *name;          /* "us-east-2"                               */
    const char *code;          /* "use2": labels and global-namespace names  */
    const char *cidr;          /* "10.20.0.0/16"                            */
    const char *const *azs;    /* availability zones                        */
    size_t az_count;
    bool primary;              /* the first region of the profile           */
    const char *provider;      /* "aws" or "aws.use2": the meta-argument    */
} pg_region;

pg_phase pg_ctx_phase(const pg_ctx *ctx);
const char *pg_ctx_phase_name(const pg_ctx *ctx);   /* "migration"           */
const char *pg_ctx_project(const pg_ctx *ctx);      /* "payment"             */
const char *pg_ctx_environment(const pg_ctx *ctx);  /* "production"          */
const char *pg_ctx_suffix(const pg_ctx *ctx);       /* "abc123"              */
bool pg_ctx_protected(const pg_ctx *ctx);           /* protection switch     */

/* Regions that exist in this phase (legacy: the primary only). */
size_t pg_ctx_region_count(const pg_ctx *ctx);
const pg_region *pg_ctx_region(const pg_ctx *ctx, size_t i);
const pg_region *pg_ctx_primary(const pg_ctx *ctx);
/* Every region of the profile, active in this phase or not. */
size_t pg_ctx_all_region_count(const pg_ctx *ctx);
const pg_region *pg_ctx_all_region(const pg_ctx *ctx, size_t i);

/* The running plugin's config struct, filled from its settings table. */
const void *pg_config(const pg_ctx *ctx);

/* Profile values by key, for the core's keys ("environment", "owner", ...)
 * and the plugin's own. Any other key, or a type mismatch, fails the run with
 * an error naming the plugin and returns NULL/0/false. */
const char *pg_ctx_string(const pg_ctx *ctx, const char *key);
long pg_ctx_int(const pg_ctx *ctx, const char *key);
bool pg_ctx_bool(const pg_ctx *ctx, const char *key);

/* References. The core publishes, for everyone: "aws.account_id" and
 * "aws.partition" (global) and "aws.region" (per region). Any other name must
 * be declared by a plugin in a namespace the reader needs; region is NULL for
 * a global one.
 *
 * pg_need*() fail the run ("plugin ecs: needs 'vpc.id' in us-east-2, which
 * vpc did not publish") and return NULL when the value is missing;
 * pg_lookup*() return NULL quietly (a reference that exists only in some
 * phases). Both fail the run on an undeclared name, a wrong scope or kind. */
const char *pg_need(const pg_ctx *ctx, const pg_region *region, const char *name);
const cJSON *pg_need_list(const pg_ctx *ctx, const pg_region *region, const char *name);
const char *pg_lookup(const pg_ctx *ctx, const pg_region *region, const char *name);
const cJSON *pg_lookup_list(const pg_ctx *ctx, const pg_region *region, const char *name);

/* -------------------------------------------------------- building blocks */

/* Items of a block, one macro per Terraform construct. Each expands to a tag
 * and its arguments; the pg_resource()/pg_set()/... macros end the list. */
#define PG_STR(key, value) PG_I_STR, (const char *)(key), (const char *)(value)
#define PG_INT(key, value) PG_I_INT, (const char *)(key), (long long)(value)
#define PG_NUM(key, value) PG_I_NUM, (const char *)(key), (double)(value)
#define PG_BOOL(key, value) PG_I_BOOL, (const char *)(key), (int)(value)
/* key = "${<address of block>.<attribute>}" */
#define PG_REF(key, block, attribute) \
    PG_I_REF, (const char *)(key), (const cJSON *)(block), (const char *)(attribute)
/* PG_STRS("actions", "kms:Decrypt", "kms:Encrypt"): a list of strings (none NULL). */
#define PG_STRS(...) PG_I_STRS, __VA_ARGS__, (const char *)0
/* The same from an array built in a loop: PG_STRV("resources", arns, n). */
#define PG_STRV(key, items, count) \
    PG_I_STRV, (const char *)(key), (const char *const *)(items), (size_t)(count)
/* key = any JSON value, taken: a list built in a loop, a jsonencode()d map. */
#define PG_JSON(key, node) PG_I_JSON, (const char *)(key), (cJSON *)(node)
/* PG_BLOCK("rule", items...): one more nested block "rule" (always an array). */
#define PG_BLOCK(...) PG_I_BLOCK, __VA_ARGS__, PG_I_END
/* PG_MAP("tags", items...): a map or object argument, merged if present. */
#define PG_MAP(...) PG_I_MAP, __VA_ARGS__, PG_I_END
/* tags.Name = pg_name(out, <the block's region>, kind, 256). Taggable resources
 * without a Name get pg_name() of their label ('_' as '-') at the end. */
#define PG_NAME(kind) PG_I_NAME, (const char *)(kind)
/* depends_on += addresses of the blocks (NULL-terminated by the macro). */
#define PG_DEPENDS_ON(...) PG_I_DEPENDS, __VA_ARGS__, (const cJSON *)0
/* lifecycle, merged: prevent_destroy when the profile protects; ignore_changes
 * appended; create_before_destroy. */
#define PG_PROTECT PG_I_PROTECT
#define PG_IGNORE_CHANGES(...) PG_I_IGNORE, __VA_ARGS__, (const char *)0
#define PG_CREATE_BEFORE_DESTROY PG_I_CBD
/* import { to = <this resource>, id = id }: brings an existing object under
 * management (Terraform >= 1.5) instead of creating it. The block's arguments
 * must match what exists, or the plan replaces it. ABI 2.1. */
#define PG_IMPORT(id) PG_I_IMPORT, (const char *)(id)
/* The next item only when cond holds: PG_IF(locked, PG_BOOL("object_lock_enabled", true)).
 * A skipped item may hold NULL values; it is read and dropped. */
#define PG_IF(cond, ...) PG_I_IF, (int)!!(cond), __VA_ARGS__

/* IAM policy documents (aws_iam_policy_document statements). */
#define PG_PRINCIPALS(type, ...) \
    PG_BLOCK("principals", PG_STR("type", type), PG_STRS("identifiers", __VA_ARGS__))
#define PG_CONDITION(test, variable, ...) \
    PG_BLOCK("condition", PG_STR("test", test), PG_STR("variable", variable), \
             PG_STRS("values", __VA_ARGS__))

/* A new resource or data block with its items. With a region the label gets
 * the region code ("main" -> "main_use2") and the provider meta-argument is set
 * outside the primary, so addresses stay stable from phase to phase. Two
 * plugins writing one address is an error. */
#define pg_resource(...) pg_resource_(__VA_ARGS__, PG_I_END)
#define pg_data(...) pg_data_(__VA_ARGS__, PG_I_END)
/* variable "name" { type, description, items (default, validation, ...) } */
#define pg_variable(...) pg_variable_(__VA_ARGS__, PG_I_END)
/* More items on a block made by any of these calls. */
#define pg_set(...) pg_set_(__VA_ARGS__, PG_I_END)
/* One more nested block `key` inside parent (a block, or a nested block or map
 * made by these calls), returned to be filled in a loop. */
#define pg_block(...) pg_block_(__VA_ARGS__, PG_I_END)

cJSON *pg_resource_(pg_out *out, const pg_region *region, const char *type, const char *label,
                    ...) PG_SENTINEL;
cJSON *pg_data_(pg_out *out, const pg_region *region, const char *type, const char *label,
                ...) PG_SENTINEL;
cJSON *pg_variable_(pg_out *out, const char *name, const char *type, const char *description,
                    ...) PG_SENTINEL;
void pg_set_(pg_out *out, cJSON *block, ...) PG_SENTINEL;
cJSON *pg_block_(pg_out *out, cJSON *parent, const char *key, ...) PG_SENTINEL;

/* output "name" { value, description } */
void pg_output(pg_out *out, const char *name, const char *value, const char *description);
/* locals.<name> = value (taken); a name written twice is an error. */
void pg_local(pg_out *out, const char *name, cJSON *value);
void pg_local_string(pg_out *out, const char *name, const char *expression);
/* terraform { backend "<kind>" { items } } in the current stack. */
#define pg_backend(...) pg_backend_(__VA_ARGS__, PG_I_END)
cJSON *pg_backend_(pg_out *out, const char *kind, ...) PG_SENTINEL;

typedef enum pg_stack {
    PG_STACK_PAYMENT = 0,    /* the platform itself                         */
    PG_STACK_BOOTSTRAP = 1   /* state bucket and lock table, applied first  */
} pg_stack;

/* Every later call writes into this stack (default PG_STACK_PAYMENT). */
void pg_use_stack(pg_out *out, pg_stack stack);

/* Interpolations of a block: pg_ref(out, vpc, "id") -> "${aws_vpc.main_use1.id}",
 * pg_address(out, vpc) -> "aws_vpc.main_use1". */
const char *pg_ref(pg_out *out, const cJSON *block, const char *attribute);
const char *pg_address(pg_out *out, const cJSON *block);

/* "payment-<kind>-<environment>-<suffix>"; with a region (a global namespace:
 * S3, IAM, or a name shared across regions) the code joins the kind:
 * "payment-<kind>-<code>-<environment>-<suffix>". "" and an error naming the
 * kind and the limit when the name is longer than max_len. */
const char *pg_name(pg_out *out, const pg_region *region, const char *kind, size_t max_len);

/* ["a", "b", ...] from a NULL-terminated list of strings (a new node). */
#define pg_strings(...) pg_strings_(__VA_ARGS__, (const char *)0)
cJSON *pg_strings_(const char *first, ...) PG_SENTINEL;

/* A formatted string owned by the run. */
const char *pg_printf(pg_out *out, const char *fmt, ...) PG_PRINTF(2, 3);

/* A function shipped with paygen (functions/<name>/ in the source tree,
 * <datadir>/paygen/functions/<name>/ installed), zipped deterministically
 * into the current stack as functions/<name>.zip (files sorted, fixed
 * timestamps and modes), so a plan needs no bucket and a new package deploys. */
typedef struct pg_package {
    const char *filename; /* "${path.module}/functions/<name>.zip" for aws_lambda_function.filename */
    const char *hash;     /* base64 SHA-256 of the zip, for source_code_hash */
} pg_package;
int pg_function_package(pg_out *out, const char *name, pg_package *package); /* 0, or -1 after an error */

/* ------------------------------------------------------------- publishing */

/* Publishes a reference the plugin declared; the value is taken. */
void pg_publish(pg_out *out, const pg_region *region, const char *name, cJSON *value);
void pg_publish_string(pg_out *out, const pg_region *region, const char *name, const char *value);
/* "<prefix>.<attribute>" = pg_ref(block, attribute) for each attribute:
 * pg_publish_refs(out, r, "alb", lb, "arn", "arn_suffix", "dns_name"). */
#define pg_publish_refs(...) pg_publish_refs_(__VA_ARGS__, (const char *)0)
void pg_publish_refs_(pg_out *out, const pg_region *region, const char *prefix,
                      const cJSON *block, ...) PG_SENTINEL;

/* ----------------------------------------------------------------- errors */

/* Reports an error attributed to the plugin; the run fails. */
void pg_error(pg_out *out, const char *fmt, ...) PG_PRINTF(2, 3);
/* The same, returning -1: `return pg_fail(out, "...", ...);`. */
int pg_fail(pg_out *out, const char *fmt, ...) PG_PRINTF(2, 3);
/* The same, about one profile key (any plugin's): the message starts with
 * where the key's value came from, "FILE:LINE:COL: key: ...", "--set key:
 * ..." or "key (default): ...". ABI 2.1. */
int pg_fail_at(pg_out *out, const char *key, const char *fmt, ...) PG_PRINTF(3, 4);

/* ------------------------------------------------------------ item tags */

/* Tags of the item macros above; not for direct use. */
#define PG_I_END ((const char *)0)
#define PG_I_STR "\x1fpg:str"
#define PG_I_INT "\x1fpg:int"
#define PG_I_NUM "\x1fpg:num"
#define PG_I_BOOL "\x1fpg:bool"
#define PG_I_REF "\x1fpg:ref"
#define PG_I_STRS "\x1fpg:strs"
#define PG_I_STRV "\x1fpg:strv"
#define PG_I_JSON "\x1fpg:json"
#define PG_I_BLOCK "\x1fpg:block"
#define PG_I_MAP "\x1fpg:map"
#define PG_I_NAME "\x1fpg:name"
#define PG_I_DEPENDS "\x1fpg:depends"
#define PG_I_PROTECT "\x1fpg:protect"
#define PG_I_IGNORE "\x1fpg:ignore"
#define PG_I_CBD "\x1fpg:cbd"
#define PG_I_IF "\x1fpg:if"
#define PG_I_IMPORT "\x1fpg:import"

#ifdef __cplusplus
}
#endif
#endif /* PAYGEN_H */
