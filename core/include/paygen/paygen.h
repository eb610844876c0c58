/*
 * paygen.h - the plugin interface of paygen.
 *
 * A plugin is a shared object that exports one symbol,
 *
 *     const struct pg_plugin *paygen_plugin_entry(void);
 *
 * returning a static, versioned vtable. The core loads every plugin on the
 * search path, orders them by what they need and provide, and calls each
 * plugin's contribute() once with a read-only context (the profile, the active
 * regions, the references earlier plugins published) and an output handle
 * through which it adds Terraform JSON and publishes references of its own.
 *
 * Versioning: a plugin is accepted when its abi_major equals the core's and its
 * abi_minor is not newer than the core's. A minor bump only appends fields to
 * struct pg_plugin and adds functions; anything else is a major bump.
 *
 * Memory: every pointer the core hands out (strings, cJSON nodes, regions) is
 * owned by the core and lives until the run ends. Plugins free nothing they got
 * from the core; they must not keep pointers across runs.
 *
 * Threads: the core calls plugins one at a time, from one thread.
 */
#ifndef PAYGEN_H
#define PAYGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PG_ABI_MAJOR 1
#define PG_ABI_MINOR 0

#if defined(__GNUC__)
#define PG_EXPORT __attribute__((visibility("default")))
#define PG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PG_SENTINEL __attribute__((sentinel))
#else
#define PG_SENTINEL
#define PG_EXPORT
#define PG_PRINTF(f, a)
#endif

typedef struct pg_ctx pg_ctx; /* read-only view of the run */
typedef struct pg_out pg_out; /* where a plugin writes    */

/* ------------------------------------------------------------------ phases */

typedef enum pg_phase {
    PG_PHASE_LEGACY = 0,     /* one region, today's footprint      */
    PG_PHASE_MIGRATION = 1,  /* secondary built, replicating       */
    PG_PHASE_PRODUCTION = 2  /* every region serves, failover on   */
} pg_phase;

/* ---------------------------------------------------------------- settings */

/* A profile key a plugin owns. Keys are dotted paths ("database.instance_class");
 * the core rejects profile keys that neither it nor a loaded plugin declared. */
typedef enum pg_setting_type {
    PG_SETTING_STRING,
    PG_SETTING_INT,
    PG_SETTING_BOOL,
    PG_SETTING_STRING_LIST
} pg_setting_type;

typedef struct pg_setting {
    const char *key;           /* "database.instance_count"                 */
    pg_setting_type type;
    const char *default_value; /* YAML scalar text; NULL means required      */
    long min, max;             /* inclusive bounds for PG_SETTING_INT         */
    const char *help;          /* one line, shown in docs and errors          */
} pg_setting;

/* ----------------------------------------------------------------- vtable */

typedef struct pg_plugin {
    int abi_major;                  /* PG_ABI_MAJOR at build time           */
    int abi_minor;                  /* PG_ABI_MINOR at build time           */
    const char *name;               /* one AWS service: "kms", "vpc", ...   */
    const char *version;            /* the plugin's own version             */
    const char *description;        /* one line                             */
    const char *const *provides;    /* reference namespaces it publishes; NULL-terminated */
    const char *const *needs;       /* namespaces it reads; NULL-terminated */
    const pg_setting *settings;     /* profile keys it owns; ends with {NULL} */

    /* Adds this plugin's resources for the context's phase. Returns 0, or -1
     * after reporting the reason with pg_error(). */
    int (*contribute)(const pg_ctx *ctx, pg_out *out);
} pg_plugin;

typedef const pg_plugin *(*pg_plugin_entry_fn)(void);
PG_EXPORT const pg_plugin *paygen_plugin_entry(void);

/* The vtable and the entry symbol in one line, at the end of a plugin:
 *   PG_PLUGIN_DEFINE("kms", "1.0.0", "customer-managed keys", provides, needs,
 *                    settings, contribute)
 * provides, needs and settings may be NULL. */
#define PG_PLUGIN_DEFINE(name_, version_, description_, provides_, needs_, settings_, contribute_) \
    static const pg_plugin pg_plugin_vtable_ = {                                                 \
        .abi_major = PG_ABI_MAJOR,                                                             \
        .abi_minor = PG_ABI_MINOR,                                                             \
        .name = (name_),                                                                       \
        .version = (version_),                                                                 \
        .description = (description_),                                                        \
        .provides = (provides_),                                                               \
        .needs = (needs_),                                                                     \
        .settings = (settings_),                                                               \
        .contribute = (contribute_),                                                           \
    };                                                                                         \
    PG_EXPORT const pg_plugin *paygen_plugin_entry(void) { return &pg_plugin_vtable_; }

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

/* Profile values. The key must be declared by the core or a loaded plugin;
 * an undeclared key or a type mismatch returns NULL/0/false and fails the
 * run with an error naming the plugin. */
const char *pg_ctx_string(const pg_ctx *ctx, const char *key);
long pg_ctx_int(const pg_ctx *ctx, const char *key);
bool pg_ctx_bool(const pg_ctx *ctx, const char *key);
size_t pg_ctx_list_count(const pg_ctx *ctx, const char *key);
const char *pg_ctx_list_item(const pg_ctx *ctx, const char *key, size_t i);

/* References the core publishes for everyone, no need declared:
 * "aws.account_id", "aws.partition" (global) and "aws.region" (per region). */

/* A reference another plugin published with pg_publish(); region NULL for a
 * global one. NULL when nobody published it (e.g. not in this phase). The
 * namespace (the text before the first '.') must be in the plugin's needs. */
const cJSON *pg_lookup(const pg_ctx *ctx, const pg_region *region, const char *name);
/* The same for a string reference ("${aws_kms_key.database_use1.arn}"). */
const char *pg_lookup_string(const pg_ctx *ctx, const pg_region *region, const char *name);

/* ------------------------------------------------------------------ output */

typedef enum pg_stack {
    PG_STACK_PAYMENT = 0,    /* the platform itself                         */
    PG_STACK_BOOTSTRAP = 1   /* state bucket and lock table, applied first  */
} pg_stack;

/* Every later call writes into this stack (default PG_STACK_PAYMENT). */
void pg_use_stack(pg_out *out, pg_stack stack);

/* A new resource or data block, ready to be filled with arguments. With a
 * region, the label gets the region code ("main" -> "main_use2") and the
 * provider meta-argument is set for non-primary regions, so addresses stay
 * stable from phase to phase. Two plugins writing one address is an error. */
cJSON *pg_resource(pg_out *out, const pg_region *region, const char *type, const char *label);
cJSON *pg_data(pg_out *out, const pg_region *region, const char *type, const char *label);
cJSON *pg_variable(pg_out *out, const char *name, const char *type, const char *description);
cJSON *pg_output(pg_out *out, const char *name, const char *value, const char *description);
/* locals.<name> = value (taken over by the output); a name written twice is an error. */
void pg_local(pg_out *out, const char *name, cJSON *value);
cJSON *pg_backend(pg_out *out, const char *kind);        /* "s3", "local"   */

/* Interpolations of a block made by pg_resource()/pg_data():
 * pg_ref(out, vpc, "id") -> "${aws_vpc.main_use1.id}",
 * pg_address(out, vpc)  -> "aws_vpc.main_use1" (for depends_on). */
const char *pg_ref(pg_out *out, const cJSON *block, const char *attribute);
const char *pg_address(pg_out *out, const cJSON *block);

/* "payment-<kind>-<environment>-<suffix>", with "-<code>" appended when a
 * region is given (global namespaces: S3, IAM). An empty string, and an error
 * naming the kind and limit, when the name is longer than max_len. */
const char *pg_name(pg_out *out, const pg_region *region, const char *kind, size_t max_len);

/* Adds tags = { Name = name } to a taggable resource; common tags come from
 * the provider's default_tags. */
void pg_tag_name(cJSON *block, const char *name);

/* Makes a lifecycle block that blocks destroy when the profile's protection
 * switch is on; no-op when off. */
void pg_protect(const pg_ctx *ctx, cJSON *block);

/* Publishes a reference for later plugins. The value is copied; a string value
 * is usually an interpolation from pg_ref(). */
void pg_publish(pg_out *out, const pg_region *region, const char *name, const cJSON *value);
void pg_publish_string(pg_out *out, const pg_region *region, const char *name, const char *value);

/* ---------------------------------------------------------- JSON helpers */

/* ["a", "b", ...] from a NULL-terminated list of strings (a new node). */
cJSON *pg_strings(const char *first, ...) PG_SENTINEL;

/* Adds a statement to an aws_iam_policy_document data block and returns it:
 * actions and resources are NULL-terminated string lists packed by
 * pg_strings(); ownership of both passes to the statement. */
cJSON *pg_statement(cJSON *policy_document, const char *sid, const char *effect, cJSON *actions,
                    cJSON *resources);
/* principals { type = "Service", identifiers = [...] } (takes identifiers). */
void pg_statement_principal(cJSON *statement, const char *type, cJSON *identifiers);
/* condition { test = "StringEquals", variable = "...", values = [...] } (takes values). */
void pg_statement_condition(cJSON *statement, const char *test, const char *variable,
                            cJSON *values);

/* A formatted string owned by the run. */
const char *pg_printf(pg_out *out, const char *fmt, ...) PG_PRINTF(2, 3);

/* Reports an error attributed to the plugin; contribute() then returns -1. */
void pg_error(pg_out *out, const char *fmt, ...) PG_PRINTF(2, 3);

#ifdef __cplusplus
}
#endif
#endif /* PAYGEN_H */
