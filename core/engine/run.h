/* SPDX-License-Identifier: Apache-2.0 */
/* run.h - the state of one generation: the context plugins read, the output
 * they write, and the loaded plugins. Internal to the core. */
#ifndef PG_RUN_H
#define PG_RUN_H

#include "hashtab.h"
#include "json_print.h"
#include "paygen/paygen.h"
#include "profile.h"
#include "settings.h"
#include "util.h"

#define PG_STACK_COUNT 2
extern const char *const pg_stack_names[PG_STACK_COUNT];

/* ----- plugins (plugins.c) */


/* The AWS provider releases the output is written for (document.c): those
 * the shipped schema describes, share/aws-provider-schema (5.99.1). */
#define PG_AWS_PROVIDER_CONSTRAINT ">= 5.99.1, < 6.0.0"

typedef enum pg_plugin_status { PG_PLUGIN_OK, PG_PLUGIN_SHADOWED, PG_PLUGIN_BROKEN } pg_plugin_status;

typedef struct pg_loaded {
    const pg_plugin *vt;      /* the core's copy of the descriptor; NULL when broken */
    char **provides;          /* namespaces of its publications, NULL-terminated */
    void *handle;             /* dlopen handle; NULL for built-in test plugins */
    char *path;
    pg_plugin_status status;
    char *problem;            /* why broken or shadowed */
    char sha256[65];          /* of the file; empty for built-in plugins */
    size_t *provider_pos;     /* per vt->needs: its provider's place in the set's order,
                                 SIZE_MAX when it provides the need itself (pg_plugins_order) */
} pg_loaded;

typedef struct pg_plugin_set {
    pg_loaded *items;         /* in discovery order */
    size_t count, cap;
    pg_loaded **order;        /* usable plugins, in dependency order */
    size_t order_count;
    bool allow_insecure;      /* load files others could have written (development) */
    char *trusted_dir;        /* the last plugin directory found sound (trust.c) */
} pg_plugin_set;

/* Appends the directories of a colon-separated list to dirs (n of cap),
 * skipping empty ones and those already listed. */
void pg_plugin_dirs_add(char ***dirs, size_t *n, size_t *cap, const char *colon_list);
/* Search path: explicit dirs, then $PAYGEN_PLUGIN_PATH, then the build tree next
 * to the executable, then the install directory. Fills dirs (caller frees). */
size_t pg_plugin_search_path(char ***dirs, const char *const *explicit_dirs, size_t explicit_count);
void pg_plugins_discover(pg_plugin_set *set, char *const *dirs, size_t dir_count);
/* Adds an in-process plugin (tests). */
void pg_plugins_add_static(pg_plugin_set *set, const pg_plugin *vt, const char *where);
/* Errors for broken plugins, unmet and cyclic needs; sets order. */
int pg_plugins_order(pg_plugin_set *set, pg_errors *err);
void pg_plugins_free(pg_plugin_set *set);

/* ----- context (context.c, registry.c) */

typedef struct pg_reference {
    char *key;                /* "<region code or *>/<name>" */
    cJSON *value;
    const char *publisher;
} pg_reference;

struct pg_ctx {
    pg_phase phase;
    const char *phase_name, *project, *environment, *suffix, *cutover, *owner;
    bool protect;
    pg_region *regions;       /* every region; the active ones come first */
    size_t region_count, active_count;
    pg_settings settings;
    pg_reference *refs;
    size_t ref_count, ref_cap;
    pg_hashtab ref_index;     /* key -> position in refs */
    const pg_plugin_set *plugins; /* their publishes tables declare the references */
    void **configs;           /* config struct of each plugin, in plugin order */
    const pg_plugin *current; /* the plugin being run: its needs gate lookups */
    const void *current_config;
    pg_errors *misuse;        /* lookups a plugin is not entitled to */
    pg_arena arena;
};

/* Validates the core keys and regions and builds the context. */
int pg_ctx_init(pg_ctx *ctx, const pg_profile *p, const pg_plugin_set *plugins, pg_errors *err);
void pg_ctx_free(pg_ctx *ctx);
/* String-list settings (the core's check.waivers). */
size_t pg_ctx_list_count(const pg_ctx *ctx, const char *key);
const char *pg_ctx_list_item(const pg_ctx *ctx, const char *key, size_t i);
const char *pg_region_code(const char *region_name, char *buf, size_t size);

/* ----- output (document.c) */

typedef struct pg_block_info {
    const cJSON *block;
    char *address;            /* "aws_vpc.main_use1", "data.aws_iam_policy_document.x" */
    const char *type;
    const char *plugin;
    const char *region;       /* region code or NULL */
    const pg_region *region_ptr;
    const char *label;        /* as the plugin gave it, without the region code */
    pg_stack stack;
    bool is_data;
} pg_block_info;

typedef struct pg_type_object {
    const cJSON *section;     /* "resource" or "data" of a stack */
    cJSON *object;            /* its member named by the type */
} pg_type_object;

struct pg_out {
    pg_ctx *ctx;
    cJSON *stacks[PG_STACK_COUNT];
    pg_stack current;
    const char *plugin;       /* name of the plugin writing now */
    pg_block_info *blocks;
    size_t block_count, block_cap;
    pg_hashtab by_address;    /* (stack, address) -> position in blocks */
    pg_hashtab by_body;       /* block pointer -> position in blocks */
    pg_type_object *types;    /* the type objects of both stacks */
    size_t type_count, type_cap;
    pg_hashtab by_type;       /* (section, type) -> position in types */
    cJSON *scratch;           /* objects handed out after a refused write */
    pg_arena arena;
    pg_errors *err;
    struct pg_package_file *packages; /* made by pg_function_package, newest first */
};

void pg_out_init(pg_out *out, pg_ctx *ctx, pg_errors *err);
/* What the core knows of a block made by pg_resource()/pg_data(), or NULL. */
const pg_block_info *pg_out_info(pg_out *out, const cJSON *block);
/* The top-level "import" array of a stack, made when first asked for. */
cJSON *pg_out_imports(pg_out *out, pg_stack stack);
/* Keeps a node alive until the run ends, outside any stack; returns it. */
cJSON *pg_out_scratch(pg_out *out, cJSON *node);
/* tags.Name = pg_name(out, region, kind, 256), replacing any Name: PG_NAME
 * and the Name every unnamed taggable resource gets at the end. */
void pg_set_name_tag(pg_out *out, cJSON *tags, const pg_region *region, const char *kind);
/* Applies a NULL-terminated item list (builder.c). */
void pg_build(pg_out *out, cJSON *target, va_list *ap);
/* The block written at an address ("aws_vpc.main_use1", "data.x.y"), or NULL. */
const pg_block_info *pg_out_find(pg_out *out, pg_stack stack, const char *address);
void pg_out_free(pg_out *out);
/* Adds providers, terraform settings, the workspace guard and Name tags. */
int pg_out_finish(pg_out *out);

/* ----- function packages (package.c) */

/* A zip made in this run for a stack: DIR/stacks/<stack>/functions/<name>.
 * Its memory is the run's (out->arena). */
typedef struct pg_package_file {
    pg_stack stack;
    const char *name;         /* "phase_reporter.zip" */
    const unsigned char *data;
    size_t size;
    pg_package package;       /* what the plugin was given */
    struct pg_package_file *next;
} pg_package_file;

/* The directory of the libpaygen that runs (malloc'ed), or NULL. */
char *pg_own_libdir(void);
/* The functions directory paygen uses (malloc'ed), or NULL. */
char *pg_functions_dir(void);
/* The deterministic stored zip of the files below DIR (malloc'ed), or -1
 * with the reason in err. */
int pg_package_zip(const char *dir, unsigned char **zip, size_t *size, pg_errors *err);
/* base64 of the SHA-256 of the bytes (malloc'ed): filebase64sha256(). */
char *pg_package_hash(const unsigned char *data, size_t size);

/* ----- writing (writer.c) */

void pg_json_sort(cJSON *node);
/* Writes OUT/stacks/<stack>/cdk.tf.json and OUT/manifest.json atomically. */
int pg_write_output(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                    pg_errors *err);

#endif
