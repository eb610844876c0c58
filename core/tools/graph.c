/* SPDX-License-Identifier: Apache-2.0 */
/* graph.c - a stack's resources as Graphviz DOT: one cluster per region,
 * one per plugin inside it, an edge for every reference between blocks. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct edge {
    size_t from, to;
    bool ordering; /* depends_on rather than a value reference */
} edge;

typedef struct edges {
    edge *items;
    size_t count, cap;
} edges;

typedef struct graph {
    const pg_graph_input *in;
    const pg_graph_block **by_address; /* the blocks sorted by address: references resolve */
    edges e;
} graph;

static void add_edge(edges *e, size_t from, size_t to, bool ordering)
{
    if (from == to)
        return;
    pg_grow(&e->items, &e->cap, e->count + 1, sizeof *e->items);
    e->items[e->count++] = (edge){from, to, ordering};
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

static int cmp_address(const void *a, const void *b)
{
    return strcmp((*(const pg_graph_block *const *)a)->address, (*(const pg_graph_block *const *)b)->address);
}

static int find_address(const void *key, const void *item)
{
    return strcmp(key, (*(const pg_graph_block *const *)item)->address);
}

/* Looks up "type.label" or "data.type.label" at the start of a traversal:
 * the index of the block at that address, or -1. */
static long resolve(const graph *gr, const char *token, size_t len)
{
    char buf[256];
    if (!pg_traversal_address(token, len, buf, sizeof buf))
        return -1;
    const pg_graph_block *const *hit =
        gr->in->block_count
            ? bsearch(buf, gr->by_address, gr->in->block_count, sizeof *gr->by_address, find_address)
            : NULL;
    return hit ? (long)(*hit - gr->in->blocks) : -1;
}

static void scan_string(graph *gr, size_t from, const char *s, bool bare)
{
    if (bare) {
        long b = resolve(gr, s, strlen(s));
        if (b >= 0)
            add_edge(&gr->e, from, (size_t)b, true);
        return;
    }
    for (const char *p = strstr(s, "${"); p; p = strstr(p, "${")) {
        if (p > s && p[-1] == '$') { /* "$${" is a literal */
            p += 2;
            continue;
        }
        const char *end = strchr(p, '}');
        for (const char *q = p + 2; q < (end ? end : p + strlen(p)); q++) {
            if (!ident_char(*q) || (q > p + 2 && ident_char(q[-1])))
                continue;
            size_t len = 0;
            while (ident_char(q[len]))
                len++;
            long b = resolve(gr, q, len);
            if (b >= 0)
                add_edge(&gr->e, from, (size_t)b, false);
            q += len;
        }
        p = end ? end : p + 2;
    }
}

static void scan(graph *gr, size_t from, const cJSON *node, bool bare)
{
    for (const cJSON *c = node->child; c; c = c->next) {
        bool child_bare = bare || (c->string && !strcmp(c->string, "depends_on"));
        if (cJSON_IsString(c))
            scan_string(gr, from, c->valuestring, child_bare);
        else
            scan(gr, from, c, child_bare);
    }
}

static bool keep(const pg_graph_input *in, const pg_graph_block *b, const pg_graph_filter *filter)
{
    if (filter->plugin && strcmp(filter->plugin, b->plugin))
        return false;
    if (!filter->region)
        return true;
    if (!strcmp(filter->region, "global"))
        return b->region == NULL;
    if (!b->region)
        return false;
    for (size_t r = 0; r < in->region_count; r++)
        if (!strcmp(in->regions[r].code, b->region))
            return !strcmp(filter->region, b->region) || !strcmp(filter->region, in->regions[r].name);
    return false;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (int)x->ordering - (int)y->ordering;
}

static void cluster(FILE *f, const pg_graph_input *in, const char *region, const char *title,
                    const pg_graph_filter *filter)
{
    bool any_block = false;
    for (size_t i = 0; i < in->block_count && !any_block; i++) {
        const pg_graph_block *o = &in->blocks[i];
        any_block = keep(in, o, filter) && (region ? o->region && !strcmp(o->region, region) : o->region == NULL);
    }
    if (!any_block)
        return;
    fprintf(f, "  subgraph \"cluster_%s\" {\n    label=\"%s\";\n    style=rounded;\n",
            region ? region : "global", title);
    /* the core's blocks, then each plugin's in the order they ran */
    for (size_t p = 0; p < in->writer_count; p++) {
        const char *plugin = in->writers[p];
        bool any = false;
        for (size_t j = 0; j < in->block_count; j++) {
            const pg_graph_block *o = &in->blocks[j];
            if (strcmp(o->plugin, plugin))
                continue;
            if (region ? !o->region || strcmp(o->region, region) : o->region != NULL)
                continue;
            if (!keep(in, o, filter))
                continue;
            if (!any)
                fprintf(f, "    subgraph \"cluster_%s_%s\" {\n      label=\"%s\";\n",
                        region ? region : "global", plugin, plugin);
            any = true;
            fprintf(f, "      \"%s\" [shape=%s];\n", o->address, o->is_data ? "note" : "box");
        }
        if (any)
            fprintf(f, "    }\n");
    }
    fprintf(f, "  }\n");
}

void pg_graph_draw(FILE *f, const pg_graph_input *in, const pg_graph_filter *filter)
{
    static const pg_graph_filter everything = {NULL, NULL};
    if (!filter)
        filter = &everything;
    graph gr = {.in = in, .by_address = pg_xcalloc(in->block_count + 1, sizeof *gr.by_address)};
    for (size_t i = 0; i < in->block_count; i++)
        gr.by_address[i] = &in->blocks[i];
    pg_sort(gr.by_address, in->block_count, sizeof *gr.by_address, cmp_address);
    for (size_t i = 0; i < in->block_count; i++)
        if (keep(in, &in->blocks[i], filter))
            scan(&gr, i, in->blocks[i].body, false);
    edges *e = &gr.e;
    pg_sort(e->items, e->count, sizeof *e->items, cmp_edge);

    fprintf(f, "digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n", in->stack);
    for (size_t r = 0; r < in->active_count; r++)
        cluster(f, in, in->regions[r].code, in->regions[r].name, filter);
    cluster(f, in, NULL, "global", filter);
    for (size_t i = 0; i < e->count; i++) {
        if (i && !cmp_edge(&e->items[i], &e->items[i - 1]))
            continue;
        if (!keep(in, &in->blocks[e->items[i].to], filter))
            continue;
        fprintf(f, "  \"%s\" -> \"%s\"%s;\n", in->blocks[e->items[i].from].address,
                in->blocks[e->items[i].to].address, e->items[i].ordering ? " [style=dashed]" : "");
    }
    fprintf(f, "}\n");
    free(e->items);
    free(gr.by_address);
}
