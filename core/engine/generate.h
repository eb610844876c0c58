/* SPDX-License-Identifier: Apache-2.0 */
/* generate.h - one generation from profile to files: the entry the CLI, the
 * tests and the fuzzers share. */
#ifndef PG_GENERATE_H
#define PG_GENERATE_H

#include <stdio.h>

#include "run.h"

struct pg_graph_filter;

typedef struct pg_options {
    const char *profile;
    const char *const *sets;          /* "key=value" overrides */
    size_t set_count;
    const char *const *plugin_dirs;   /* --plugin-path, searched first */
    size_t plugin_dir_count;
    const pg_plugin *const *builtins; /* in-process plugins (tests) */
    size_t builtin_count;
    bool no_search;                   /* only builtins and plugin_dirs */
    const struct pg_schema *schema;   /* validate against it too (NULL: structure only) */
    const char *const *only;          /* run these plugins and what they need (NULL: all) */
    size_t only_count;
    const char *lock_file;            /* pin plugins to it when the file exists (NULL: none) */
    bool allow_insecure;              /* load plugins others could have written */
    bool allow_extends_outside;       /* extends: may leave the profile's repository */
} pg_options;

typedef struct pg_generation {
    pg_plugin_set plugins;
    pg_profile profile;
    pg_ctx ctx;
    pg_out out;
    cJSON *manifest;
    pg_errors warnings;               /* findings that do not fail the run */
    bool *selected;                   /* per plugin in order: runs in this generation */
    bool have_ctx, have_out;
} pg_generation;

/* Loads plugins and profile, runs every plugin, merges, finishes and sorts
 * the stacks. Nothing is written. Returns 0 or -1 with errors in err. */
int pg_generate(pg_generation *g, const pg_options *o, pg_errors *err);
/* Finds and orders the plugins only (paygen plugins). */
void pg_find_plugins(pg_plugin_set *set, const pg_options *o);
/* Writes the stacks, the function packages the plugins made
 * (stacks/<stack>/functions/<name>.zip) and the manifest with the
 * guarantee of pg_write_tree(); _with adds the caller's further files
 * (struct pg_extra_file, writer.h) and flags (PG_WRITE_FORCE). */
int pg_generation_write(pg_generation *g, const char *dir, pg_errors *err);
struct pg_extra_file;
int pg_generation_write_with(pg_generation *g, const char *dir, const struct pg_extra_file *extra,
                             size_t extra_count, unsigned flags, pg_errors *err);
void pg_generation_free(pg_generation *g);
/* A generated stack as Graphviz DOT (paygen graph): its blocks, the plugins
 * in run order and the regions, drawn by tools/graph.c. NULL draws all. */
void pg_graph_write(FILE *f, const pg_generation *g, pg_stack stack, const struct pg_graph_filter *filter);

/* Name of the plugin running now, for a crash message; NULL between plugins. */
extern const char *volatile pg_running_plugin;

#endif
