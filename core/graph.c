/* SPDX-License-Identifier: Apache-2.0 */
/* graph.c - a stack's resources as Graphviz DOT: one cluster per region,
 * one per plugin inside it, an edge for every reference between blocks. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

typedef struct edge {
    size_t from, to;
    bool ordering; /* depends_on rather than a value reference */
} edge;

typedef struct edges {
    edge *items;
    size_t count, cap;
} edges;

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

/* Looks up "type.label" or "data.type.label" at the start of a traversal. */
static const pg_block_info *resolve(pg_out *out, pg_stack stack, const char *token, size_t len)
{
    char buf[256];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, token, len);
    buf[len] = '\0';
    size_t parts = pg_str_starts_with(buf, "data.") ? 3 : 2;
    char *p = buf;
    for (size_t i = 0; i < parts && p; i++) {
        p = strchr(p, '.');
        if (i + 1 < parts && p)
            p++;
    }
    if (p)
        *p = '\0';
    return pg_out_find(out, stack, buf);
}

static void scan_string(pg_out *out, pg_stack stack, size_t from, const char *s, bool bare,
                        edges *e)
{
    if (bare) {
        const pg_block_info *b = resolve(out, stack, s, strlen(s));
        if (b)
            add_edge(e, from, (size_t)(b - out->blocks), true);
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
            const pg_block_info *b = resolve(out, stack, q, len);
            if (b)
                add_edge(e, from, (size_t)(b - out->blocks), false);
            q += len;
        }
        p = end ? end : p + 2;
    }
}

static void scan(pg_out *out, pg_stack stack, size_t from, const cJSON *node, bool bare, edges *e)
{
    for (const cJSON *c = node->child; c; c = c->next) {
        bool child_bare = bare || (c->string && !strcmp(c->string, "depends_on"));
        if (cJSON_IsString(c))
            scan_string(out, stack, from, c->valuestring, child_bare, e);
        else
            scan(out, stack, from, c, child_bare, e);
    }
}

static bool keep(const pg_generation *g, const pg_block_info *b, const pg_graph_filter *filter)
{
    if (filter->plugin && strcmp(filter->plugin, b->plugin))
        return false;
    if (!filter->region)
        return true;
    if (!strcmp(filter->region, "global"))
        return b->region == NULL;
    if (!b->region)
        return false;
    for (size_t r = 0; r < g->ctx.region_count; r++)
        if (!strcmp(g->ctx.regions[r].code, b->region))
            return !strcmp(filter->region, b->region) || !strcmp(filter->region, g->ctx.regions[r].name);
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

static void cluster(FILE *f, pg_generation *g, pg_stack stack, const char *region, const char *title,
                    const pg_graph_filter *filter)
{
    pg_out *out = &g->out;
    bool any_block = false;
    for (size_t i = 0; i < out->block_count && !any_block; i++) {
        const pg_block_info *o = &out->blocks[i];
        any_block = o->stack == stack && keep(g, o, filter) &&
                    (region ? o->region && !strcmp(o->region, region) : o->region == NULL);
    }
    if (!any_block)
        return;
    fprintf(f, "  subgraph \"cluster_%s\" {\n    label=\"%s\";\n    style=rounded;\n",
            region ? region : "global", title);
    /* the core's blocks, then each plugin's in the order they ran */
    for (size_t p = 0; p <= g->plugins.order_count; p++) {
        const char *plugin = p ? g->plugins.order[p - 1]->vt->name : "core";
        bool any = false;
        for (size_t j = 0; j < out->block_count; j++) {
            const pg_block_info *o = &out->blocks[j];
            if (o->stack != stack || strcmp(o->plugin, plugin))
                continue;
            if (region ? !o->region || strcmp(o->region, region) : o->region != NULL)
                continue;
            if (!keep(g, o, filter))
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

void pg_graph_write(FILE *f, pg_generation *g, pg_stack stack, const pg_graph_filter *filter)
{
    static const pg_graph_filter everything = {NULL, NULL};
    if (!filter)
        filter = &everything;
    pg_out *out = &g->out;
    edges e = {0};
    for (size_t i = 0; i < out->block_count; i++)
        if (out->blocks[i].stack == stack && keep(g, &out->blocks[i], filter))
            scan(out, stack, i, out->blocks[i].block, false, &e);
    pg_sort(e.items, e.count, sizeof *e.items, cmp_edge);

    fprintf(f, "digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n",
            pg_stack_names[stack]);
    for (size_t r = 0; r < g->ctx.active_count; r++)
        cluster(f, g, stack, g->ctx.regions[r].code, g->ctx.regions[r].name, filter);
    cluster(f, g, stack, NULL, "global", filter);
    for (size_t i = 0; i < e.count; i++) {
        if (i && !cmp_edge(&e.items[i], &e.items[i - 1]))
            continue;
        if (!keep(g, &out->blocks[e.items[i].to], filter))
            continue;
        fprintf(f, "  \"%s\" -> \"%s\"%s;\n", out->blocks[e.items[i].from].address,
                out->blocks[e.items[i].to].address, e.items[i].ordering ? " [style=dashed]" : "");
    }
    fprintf(f, "}\n");
    free(e.items);
}
