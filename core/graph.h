/* graph.h - Graphviz DOT of a generated stack (paygen graph). */
#ifndef PG_GRAPH_H
#define PG_GRAPH_H

#include <stdio.h>

#include "generate.h"

/* Writes the stack's resources and data sources grouped by region and
 * plugin, with an edge per reference (dashed for depends_on). */
void pg_graph_write(FILE *f, pg_generation *g, pg_stack stack);

#endif
