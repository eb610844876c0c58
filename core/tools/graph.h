/* SPDX-License-Identifier: Apache-2.0 */
/* graph.h - Graphviz DOT of a generated stack (paygen graph). The engine's
 * pg_graph_write() (generate.h) hands a generation's stack over as a
 * pg_graph_input; nothing here knows the engine. */
#ifndef PG_GRAPH_H
#define PG_GRAPH_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Which blocks to draw: NULL draws all. region is a code ("use2"), a name
 * ("us-east-2") or "global". */
typedef struct pg_graph_filter {
    const char *region;
    const char *plugin;
} pg_graph_filter;

/* One resource or data source of the stack. */
typedef struct pg_graph_block {
    const char *address;  /* "aws_vpc.main_use1", "data.aws_iam_policy_document.x" */
    const char *plugin;   /* who wrote it: a plugin's name, or "core" */
    const char *region;   /* region code, NULL for a global block */
    const cJSON *body;    /* its arguments: references are found in their strings */
    bool is_data;
} pg_graph_block;

typedef struct pg_graph_region {
    const char *code;     /* "use2" */
    const char *name;     /* "us-east-2" */
} pg_graph_region;

/* What the graph needs of one stack of one generation. */
typedef struct pg_graph_input {
    const char *stack;               /* the digraph's name */
    const pg_graph_block *blocks;    /* in the order they were written; addresses unique */
    size_t block_count;
    const char *const *writers;      /* cluster order inside a region: "core", then the plugins as they ran */
    size_t writer_count;
    const pg_graph_region *regions;  /* every region the profile knows, the active ones first */
    size_t region_count;
    size_t active_count;             /* a cluster each, then one for the global blocks */
} pg_graph_input;

/* Writes the stack's resources and data sources grouped by region and
 * plugin, with an edge per reference (dashed for depends_on) between the
 * blocks the filter keeps. */
void pg_graph_draw(FILE *f, const pg_graph_input *in, const pg_graph_filter *filter);

#endif
