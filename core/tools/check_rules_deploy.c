/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_deploy.c - the deployability rules over the whole dependency
 * graph of a stack: no cycle through references and depends_on, no data
 * source read for nothing; and the reference helpers the other deploy rules
 * share. These rules see what a plan or the first apply would trip on. */
#include <stdlib.h>
#include <string.h>

#include "check_rules.h"
#include "check_rules_deploy.h"

/* ----- references */

static bool ident(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           ch == '-';
}

static bool str_ref(const char *s, const char *type, char *label, size_t size)
{
    size_t n = strlen(type);
    for (const char *p = strstr(s, type); p; p = strstr(p + 1, type)) {
        if ((p > s && (ident(p[-1]) || p[-1] == '.')) || p[n] != '.')
            continue;
        const char *l = p + n + 1;
        size_t len = 0;
        while (ident(l[len]))
            len++;
        if (!len || len >= size)
            continue;
        memcpy(label, l, len);
        label[len] = '\0';
        return true;
    }
    return false;
}

bool pg_d_ref(const cJSON *node, const char *type, char *label, size_t size)
{
    if (cJSON_IsString(node))
        return str_ref(node->valuestring, type, label, size);
    const cJSON *c;
    cJSON_ArrayForEach(c, node) if (pg_d_ref(c, type, label, size)) return true;
    return false;
}

const cJSON *pg_d_target(const pg_check_ctx *c, const cJSON *node, const char *type)
{
    char label[128];
    if (!node || !pg_d_ref(node, type, label, sizeof label))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(pg_c_type(c, false, type), label);
}

const char *pg_d_provider(const cJSON *block)
{
    const char *p = pg_c_str(block, "provider");
    return p ? p : "aws";
}

/* ----- the dependency graph: resources, data sources and locals */

typedef struct vertex {
    char *address; /* "aws_vpc.main", "data.aws_vpc.x", "local.name" */
    const cJSON *body;
} vertex;

typedef struct edge {
    size_t from, to;
    bool ordering; /* depends_on rather than a value */
} edge;

typedef struct graph {
    vertex *nodes; /* sorted by address */
    size_t count, cap;
    edge *edges; /* sorted by from, then to */
    size_t ecount, ecap;
} graph;

static void add_node(graph *g, char *address, const cJSON *body)
{
    pg_grow(&g->nodes, &g->cap, g->count + 1, sizeof *g->nodes);
    g->nodes[g->count++] = (vertex){address, body};
}

static int cmp_node(const void *a, const void *b)
{
    return strcmp(((const vertex *)a)->address, ((const vertex *)b)->address);
}

static long find(const graph *g, const char *token, size_t len)
{
    char buf[256];
    if (!pg_traversal_address(token, len, buf, sizeof buf))
        return -1;
    vertex key = {buf, NULL};
    const vertex *hit = g->count ? bsearch(&key, g->nodes, g->count, sizeof *g->nodes, cmp_node) : NULL;
    return hit ? hit - g->nodes : -1;
}

static void add_edge(graph *g, size_t from, long to, bool ordering)
{
    if (to < 0)
        return;
    pg_grow(&g->edges, &g->ecap, g->ecount + 1, sizeof *g->edges);
    g->edges[g->ecount++] = (edge){from, (size_t)to, ordering};
}

static bool token_char(char ch)
{
    return ident(ch) || ch == '.';
}

/* The traversals inside "${...}" of s; a depends_on entry is a bare address. */
static void scan_string(graph *g, size_t from, const char *s, bool bare)
{
    if (bare) {
        add_edge(g, from, find(g, s, strlen(s)), true);
        return;
    }
    for (const char *p = strstr(s, "${"); p; p = strstr(p, "${")) {
        if (p > s && p[-1] == '$') { /* "$${" is a literal */
            p += 2;
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end)
            end = p + strlen(p);
        for (const char *q = p + 2; q < end; q++) {
            if (!token_char(*q) || token_char(q[-1]))
                continue;
            size_t len = 0;
            while (token_char(q[len]))
                len++;
            add_edge(g, from, find(g, q, len), false);
            q += len - 1;
        }
        p = end;
    }
}

static void scan(graph *g, size_t from, const cJSON *body, bool bare)
{
    if (cJSON_IsString(body)) {
        scan_string(g, from, body->valuestring, bare);
        return;
    }
    for (const cJSON *c = body->child; c; c = c->next) {
        if (c->string && !bare && !strcmp(c->string, "provider"))
            continue; /* names a provider configuration */
        /* bare addresses that order the block after another: Terraform
         * reports a cycle through replace_triggered_by as through depends_on */
        bool order = c->string && (!strcmp(c->string, "depends_on") || !strcmp(c->string, "replace_triggered_by"));
        scan(g, from, c, bare || order);
    }
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

static void build(const pg_check_ctx *c, graph *g)
{
    static const char *const kinds[] = {"resource", "data"};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *all = cJSON_GetObjectItemCaseSensitive(c->doc, kinds[k]);
        for (const cJSON *t = cJSON_IsObject(all) ? all->child : NULL; t; t = t->next)
            for (const cJSON *b = cJSON_IsObject(t) ? t->child : NULL; b; b = b->next)
                add_node(g, pg_xasprintf("%s%s.%s", k ? "data." : "", t->string, b->string), b);
    }
    const cJSON *locals = cJSON_GetObjectItemCaseSensitive(c->doc, "locals");
    for (const cJSON *l = cJSON_IsObject(locals) ? locals->child : NULL; l; l = l->next)
        add_node(g, pg_xasprintf("local.%s", l->string), l);
    pg_sort(g->nodes, g->count, sizeof *g->nodes, cmp_node);
    for (size_t i = 0; i < g->count; i++)
        scan(g, i, g->nodes[i].body, false);
    pg_sort(g->edges, g->ecount, sizeof *g->edges, cmp_edge);
}

static void graph_free(graph *g)
{
    for (size_t i = 0; i < g->count; i++)
        free(g->nodes[i].address);
    free(g->nodes);
    free(g->edges);
}

/* ----- PG-DEPLOY-001: cycles (Tarjan's strongly connected components) */

typedef struct tarjan {
    const graph *g;
    size_t *first;           /* index of a node's first edge */
    long *index, *low, *scc; /* scc: component number, -1 while open */
    size_t *stack, depth, next, comps;
    bool *on;
} tarjan;

static void connect(tarjan *t, size_t v)
{
    t->index[v] = t->low[v] = (long)t->next++;
    t->stack[t->depth++] = v;
    t->on[v] = true;
    for (size_t e = t->first[v]; e < t->first[v + 1]; e++) {
        size_t w = t->g->edges[e].to;
        if (t->index[w] < 0) {
            connect(t, w);
            if (t->low[w] < t->low[v])
                t->low[v] = t->low[w];
        } else if (t->on[w] && t->index[w] < t->low[v]) {
            t->low[v] = t->index[w];
        }
    }
    if (t->low[v] != t->index[v])
        return;
    size_t w;
    do {
        w = t->stack[--t->depth];
        t->on[w] = false;
        t->scc[w] = (long)t->comps;
    } while (w != v);
    t->comps++;
}

/* The shortest way from start back to start inside its component, as text:
 * "a references b, which depends on a". */
static char *cycle_text(const tarjan *t, size_t start)
{
    const graph *g = t->g;
    size_t *prev = pg_xcalloc(g->count, sizeof *prev), *via = pg_xcalloc(g->count, sizeof *via);
    size_t *queue = pg_xcalloc(g->count + 1, sizeof *queue), head = 0, tail = 0;
    bool *seen = pg_xcalloc(g->count, sizeof *seen);
    long last = -1; /* the edge that closes the cycle */
    queue[tail++] = start;
    seen[start] = true;
    while (head < tail && last < 0) {
        size_t v = queue[head++];
        for (size_t e = t->first[v]; e < t->first[v + 1] && last < 0; e++) {
            size_t w = g->edges[e].to;
            if (t->scc[w] != t->scc[start])
                continue;
            if (w == start)
                last = (long)e;
            else if (!seen[w]) {
                seen[w] = true;
                prev[w] = v;
                via[w] = e;
                queue[tail++] = w;
            }
        }
    }
    /* walk back from the closing edge, then print forwards */
    size_t *path = pg_xcalloc(g->count + 1, sizeof *path), n = 0;
    path[n++] = (size_t)last;
    for (size_t v = g->edges[last].from; v != start; v = prev[v])
        path[n++] = via[v];
    char *text = pg_xstrdup(g->nodes[start].address);
    for (size_t i = n; i-- > 0;) {
        const edge *e = &g->edges[path[i]];
        char *more = pg_xasprintf("%s%s %s %s", text, i + 1 == n ? "" : ", which",
                                  e->ordering ? "depends on" : "references", g->nodes[e->to].address);
        free(text);
        text = more;
    }
    free(path);
    free(seen);
    free(queue);
    free(via);
    free(prev);
    return text;
}

void pg_rule_deploy_cycle(pg_check_ctx *c)
{
    graph g = {0};
    build(c, &g);
    tarjan t = {.g = &g};
    t.first = pg_xcalloc(g.count + 1, sizeof *t.first);
    for (size_t e = 0, v = 0; v <= g.count; v++) {
        while (e < g.ecount && g.edges[e].from < v)
            e++;
        t.first[v] = e;
    }
    t.index = pg_xcalloc(g.count + 1, sizeof *t.index);
    t.low = pg_xcalloc(g.count + 1, sizeof *t.low);
    t.scc = pg_xcalloc(g.count + 1, sizeof *t.scc);
    t.stack = pg_xcalloc(g.count + 1, sizeof *t.stack);
    t.on = pg_xcalloc(g.count + 1, sizeof *t.on);
    for (size_t v = 0; v < g.count; v++)
        t.index[v] = -1;
    for (size_t v = 0; v < g.count; v++)
        if (t.index[v] < 0)
            connect(&t, v);
    /* one finding per cycle, at its first address (nodes are sorted) */
    bool *reported = pg_xcalloc(t.comps + 1, sizeof *reported);
    for (size_t v = 0; v < g.count; v++) {
        bool cyclic = false;
        for (size_t e = t.first[v]; e < t.first[v + 1]; e++)
            cyclic |= t.scc[g.edges[e].to] == t.scc[v];
        if (!cyclic || reported[t.scc[v]])
            continue;
        reported[t.scc[v]] = true;
        char *text = cycle_text(&t, v);
        pg_violation(c, g.nodes[v].address, "dependency cycle: %s; Terraform cannot order them", text);
        free(text);
    }
    free(reported);
    free(t.on);
    free(t.stack);
    free(t.scc);
    free(t.low);
    free(t.index);
    free(t.first);
    graph_free(&g);
}

/* ----- PG-DEPLOY-003: data sources read for nothing */

typedef struct reads {
    const cJSON *data;  /* the document's data section */
    const cJSON **used; /* data blocks referenced from outside themselves */
    size_t count, cap;
} reads;

/* Marks every data block a string of owner (a data block, or NULL for
 * anything else) references, but owner itself. */
static void mark_reads(reads *r, const cJSON *owner, const char *s)
{
    for (const char *p = strstr(s, "data."); p; p = strstr(p + 1, "data.")) {
        if (p > s && (ident(p[-1]) || p[-1] == '.'))
            continue;
        char type[128], label[128];
        const char *t = p + 5;
        size_t tl = 0, ll = 0;
        while (ident(t[tl]))
            tl++;
        if (!tl || tl >= sizeof type || t[tl] != '.')
            continue;
        const char *l = t + tl + 1;
        while (ident(l[ll]))
            ll++;
        if (!ll || ll >= sizeof label)
            continue;
        memcpy(type, t, tl);
        type[tl] = '\0';
        memcpy(label, l, ll);
        label[ll] = '\0';
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->data, type), label);
        if (b && b != owner) {
            pg_grow(&r->used, &r->cap, r->count + 1, sizeof *r->used);
            r->used[r->count++] = b;
        }
    }
}

static void walk_reads(reads *r, const cJSON *owner, const cJSON *node)
{
    if (cJSON_IsString(node)) {
        mark_reads(r, owner, node->valuestring);
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, node) walk_reads(r, owner, c);
}

static int cmp_ptr(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return x < y ? -1 : x > y;
}

/* A read that feeds nothing still needs its permissions and its object at
 * every plan (a remote state read needs the whole state snapshot of another
 * configuration, secrets included), and fails the plan when it is gone. */
void pg_rule_deploy_unused_data(pg_check_ctx *c)
{
    reads r = {.data = cJSON_GetObjectItemCaseSensitive(c->doc, "data")};
    if (!cJSON_IsObject(r.data))
        return;
    const cJSON *top;
    cJSON_ArrayForEach(top, c->doc)
    {
        if (top != r.data) {
            walk_reads(&r, NULL, top);
            continue;
        }
        for (const cJSON *t = top->child; t; t = t->next)
            for (const cJSON *b = cJSON_IsObject(t) ? t->child : NULL; b; b = b->next)
                walk_reads(&r, b, b);
    }
    pg_sort(r.used, r.count, sizeof *r.used, cmp_ptr);
    for (const cJSON *t = r.data->child; t; t = t->next)
        for (const cJSON *b = cJSON_IsObject(t) ? t->child : NULL; b; b = b->next)
            if (!r.count || !bsearch(&b, r.used, r.count, sizeof *r.used, cmp_ptr)) {
                char *type = pg_xasprintf("data.%s", t->string);
                VIOLATION(c, type, b, "read but referenced nowhere in the stack: remove it or use it");
                free(type);
            }
    free(r.used);
}
