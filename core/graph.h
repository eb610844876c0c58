/* SPDX-License-Identifier: Apache-2.0 */
/* graph.h - Graphviz DOT of a generated stack (paygen graph). */
#ifndef PG_GRAPH_H
#define PG_GRAPH_H

#include <stdio.h>

#include "generate.h"

/* Which blocks to draw: NULL draws all. region is a code ("use2"), a name
 * ("us-east-2") or "global". */
typedef struct pg_graph_filter {
    const char *region;
    const char *plugin;
} pg_graph_filter;

/* Writes the stack's resources and data sources grouped by region and
 * plugin, with an edge per reference (dashed for depends_on) between the
 * blocks the filter keeps. */
void pg_graph_write(FILE *f, pg_generation *g, pg_stack stack, const pg_graph_filter *filter);

#endif
