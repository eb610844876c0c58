/* SPDX-License-Identifier: Apache-2.0 */
/* dupkeys.c - finding keys that appear twice in one JSON object.
 *
 * The HCL JSON syntax that Terraform reads keeps every property of an
 * object: repeated block-type and label keys are merged into more blocks,
 * a repeated argument is an error ("Preserve multiple definitions of the
 * same property name", https://github.com/hashicorp/hcl/blob/main/json/spec.md).
 * cJSON keeps them too but every lookup stops at the first, so check would
 * judge only the first copy: an open port 22 in the second passed. Each
 * object's keys are sorted once (n log n), then neighbours compared. */
#include "dupkeys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key as a path shows it: at most this many bytes, then "...". */
#define SHOWN_KEY_BYTES 64

typedef struct path {
    char *text;
    size_t len, cap;
} path;

typedef struct walk {
    const char *file;
    pg_errors *err;
    path p;
    size_t found;
} walk;

static void path_add(path *p, const char *s, size_t n)
{
    pg_grow(&p->text, &p->cap, p->len + n + 1, 1);
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static bool bare(const char *key)
{
    size_t n = 0;
    for (; key[n]; n++)
        if (!(key[n] == '_' || key[n] == '-' || (key[n] >= '0' && key[n] <= '9') ||
              ((key[n] | 0x20) >= 'a' && (key[n] | 0x20) <= 'z')))
            return false;
    return n > 0 && n <= SHOWN_KEY_BYTES;
}

/* .key, or ["k\x1be\"y"] when the key holds anything else: a key from a
 * merge request cannot forge a log line. */
static void path_push_key(path *p, const char *key)
{
    if (bare(key)) {
        if (p->len)
            path_add(p, ".", 1);
        path_add(p, key, strlen(key));
        return;
    }
    path_add(p, "[\"", 2);
    size_t n = 0;
    for (const unsigned char *k = (const unsigned char *)key; *k; k++, n++) {
        char esc[8];
        if (n == SHOWN_KEY_BYTES) {
            path_add(p, "...", 3);
            break;
        }
        if (*k == '"' || *k == '\\')
            snprintf(esc, sizeof esc, "\\%c", *k);
        else if (*k < 0x20 || *k >= 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *k);
        else
            snprintf(esc, sizeof esc, "%c", *k);
        path_add(p, esc, strlen(esc));
    }
    path_add(p, "\"]", 2);
}

typedef struct member {
    const char *key;
    size_t at; /* place among the object's members */
} member;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const member *)a)->key, ((const member *)b)->key);
}

static int by_key_then_place(const void *a, const void *b)
{
    const member *x = a, *y = b;
    int c = by_key(x, y);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* The members of node sorted by key, then by place; *n gets their count. */
static member *sorted_members(const cJSON *node, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(node);
    if (*n < 2)
        return NULL;
    member *m = pg_xmalloc(*n * sizeof *m);
    size_t i = 0;
    for (const cJSON *c = node->child; c && i < *n; c = c->next, i++)
        m[i] = (member){c->string ? c->string : "", i};
    *n = i;
    pg_sort(m, i, sizeof *m, by_key_then_place);
    return m;
}

void pg_dupkeys_mark(const cJSON *object, bool *repeated)
{
    size_t n = 0;
    member *m = cJSON_IsObject(object) ? sorted_members(object, &n) : NULL;
    for (size_t j = 1; m && j < n; j++)
        if (!by_key(&m[j], &m[j - 1]))
            repeated[m[j].at] = true;
    free(m);
}

static void report(walk *w, const char *key, size_t copies)
{
    if (++w->found > PG_DUPKEYS_SHOWN)
        return;
    size_t len = w->p.len;
    path_push_key(&w->p, key);
    pg_errors_add(w->err,
                  "%s: duplicate key %s (%zu copies): Terraform reads every copy, paygen's tools "
                  "only the first; paygen never writes one",
                  w->file, w->p.text, copies);
    w->p.len = len;
    w->p.text[len] = '\0';
}

/* The duplicated keys of one object, in sorted order. */
static void scan_object(walk *w, const cJSON *node)
{
    size_t n;
    member *m = sorted_members(node, &n);
    for (size_t k = 0; m && k + 1 < n;) {
        size_t run = 1;
        while (k + run < n && !by_key(&m[k], &m[k + run]))
            run++;
        if (run > 1)
            report(w, m[k].key, run);
        k += run;
    }
    free(m);
}

static void scan(walk *w, const cJSON *node)
{
    if (cJSON_IsObject(node))
        scan_object(w, node);
    size_t index = 0;
    for (const cJSON *c = node->child; c; c = c->next, index++) {
        if (!c->child)
            continue; /* scalars and empty containers hold no keys */
        size_t len = w->p.len;
        if (cJSON_IsObject(node)) {
            path_push_key(&w->p, c->string ? c->string : "");
        } else {
            char at[32];
            snprintf(at, sizeof at, "[%zu]", index);
            path_add(&w->p, at, strlen(at));
        }
        scan(w, c);
        w->p.len = len;
        w->p.text[len] = '\0';
    }
}

size_t pg_dupkeys_report(const cJSON *root, const char *file, pg_errors *err)
{
    walk w = {.file = file, .err = err};
    path_add(&w.p, "", 0);
    if (root)
        scan(&w, root);
    if (w.found > PG_DUPKEYS_SHOWN)
        pg_errors_add(err, "%s: %zu more duplicate keys", file, w.found - PG_DUPKEYS_SHOWN);
    free(w.p.text);
    return w.found;
}
