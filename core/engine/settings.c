/* SPDX-License-Identifier: Apache-2.0 */
#include "settings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The keys the core itself owns; regions and extends are structural and read
 * by profile.c. Plugins declare the rest. */
const pg_setting pg_core_settings[] = {
    {"project", PG_TYPE_STRING, "payment", 0, 0, NULL, 0,
     "first word of every resource name (lowercase letters, 2-12)"},
    {"environment", PG_TYPE_STRING, NULL, 0, 0, NULL, 0,
     "environment and Terraform workspace: production, staging, ..."},
    {"suffix", PG_TYPE_STRING, NULL, 0, 0, NULL, 0,
     "unique suffix of every name: 3-8 lowercase letters or digits"},
    {"phase", PG_TYPE_STRING, NULL, 0, 0, NULL, 0,
     "migration phase: legacy, migration or production"},
    {"cutover", PG_TYPE_STRING, NULL, 0, 0, NULL, 0,
     "planned cutover time, UTC, as 2026-12-01T06:00:00Z (tag CutoverTimestamp)"},
    {"protection", PG_TYPE_BOOL, "true", 0, 0, NULL, 0,
     "prevent_destroy and AWS deletion protection on critical resources"},
    {"owner", PG_TYPE_STRING, "platform-team", 0, 0, NULL, 0, "team that owns the stack (tag Owner)"},
    {"check.waivers", PG_TYPE_LIST, "", 0, 0, NULL, 0,
     "PCI rules waived, each 'RULE-ID: owner | YYYY-MM-DD | reason' (paygen check --profile)"},
    PG_SETTINGS_END,
};

static int cmp_resolved(const void *a, const void *b)
{
    return strcmp(((const pg_resolved *)a)->decl->key, ((const pg_resolved *)b)->decl->key);
}

static void report(pg_errors *err, pg_origin at, const char *top, const char *fmt, ...)
    PG_FMT(4, 5);
static void report(pg_errors *err, pg_origin at, const char *top, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    if (at.line)
        pg_errors_add(err, "%s:%d:%d: %s", at.file, at.line, at.col, msg);
    else
        pg_errors_add(err, "%s: %s", at.file ? at.file : top, msg);
    free(msg);
}

static int parse_scalar(pg_resolved *r, const char *text, bool quoted, pg_errors *err,
                        const char *top)
{
    const pg_setting *d = r->decl;
    char shown[PG_SHOWN_SIZE];
    if (d->type == PG_TYPE_INT) {
        char *end = NULL;
        errno = 0;
        long n = strtol(text, &end, 10);
        if (quoted || !*text || *end || errno) {
            report(err, r->at, top, "'%s' must be an integer, not %s", d->key,
                   pg_shown(shown, text));
            return -1;
        }
        if (n < d->min || n > d->max) {
            report(err, r->at, top, "%s = %ld is out of range %ld..%ld", d->key, n, d->min, d->max);
            return -1;
        }
        r->number = n;
    } else if (d->type == PG_TYPE_CHOICE) {
        if (!pg_choice_index(d->choices, text)) {
            report(err, r->at, top, "%s = %s is not one of %s", d->key, pg_shown(shown, text),
                   d->choices);
            return -1;
        }
    } else if (d->type == PG_TYPE_BOOL) {
        if (!quoted && !strcmp(text, "true"))
            r->flag = true;
        else if (!quoted && !strcmp(text, "false"))
            r->flag = false;
        else {
            report(err, r->at, top, "'%s' must be true or false, not %s", d->key,
                   pg_shown(shown, text));
            return -1;
        }
    }
    r->raw = r->text = text;
    return 0;
}

size_t pg_choice_index(const char *choices, const char *text)
{
    size_t len = strlen(text), i = 1;
    for (const char *c = choices; c && *c; i++) {
        size_t n = strcspn(c, "|");
        if (n == len && !strncmp(c, text, n))
            return i;
        c += n + (c[n] == '|');
    }
    return 0;
}

static const char *closest_key(const pg_declared *decls, size_t n, const char *key)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++)
        for (const pg_setting *s = decls[i].settings; s->key; s++) {
            size_t d = pg_edit_distance(key, s->key);
            if (d < best_d) {
                best_d = d;
                best = s->key;
            }
        }
    size_t limit = strlen(key) / 3 + 1;
    return best_d <= limit ? best : NULL;
}

static const pg_setting *find_decl(const pg_declared *decls, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        for (const pg_setting *s = decls[i].settings; s->key; s++)
            if (!strcmp(s->key, key))
                return s;
    return NULL;
}

/* Terraform reads every string of a .tf.json file as a template: "${...}"
 * is evaluated and "%{...}" runs a directive
 * (https://developer.hashicorp.com/terraform/language/syntax/json, "Expression
 * Mapping"). A profile value is text, never code, so "${" becomes "$${" and
 * "%{" becomes "%%{", the literal forms
 * (https://developer.hashicorp.com/terraform/language/expressions/strings,
 * "Escape Sequences"). The one place this happens: before any plugin reads. */
static const char *tf_literal(pg_settings *s, const char *text)
{
    size_t extra = 0;
    for (const char *c = text; *c; c++)
        extra += (*c == '$' || *c == '%') && c[1] == '{';
    if (!extra)
        return text;
    char *out = pg_xmalloc(strlen(text) + extra + 1), *o = out;
    for (const char *c = text; *c; c++) {
        if ((*c == '$' || *c == '%') && c[1] == '{')
            *o++ = *c;
        *o++ = *c;
    }
    *o = '\0';
    return pg_arena_keep(&s->arena, out);
}

/* Every entry's text and items become their Terraform-literal form; raw keeps
 * what was written. */
static void escape_values(pg_settings *s)
{
    for (size_t i = 0; i < s->count; i++) {
        pg_resolved *r = &s->entries[i];
        r->raw_items = r->items;
        if (r->text)
            r->text = tf_literal(s, r->text);
        if (!r->item_count)
            continue;
        const char **items = pg_xcalloc(r->item_count, sizeof *items);
        pg_arena_keep(&s->arena, (char *)items);
        for (size_t j = 0; j < r->item_count; j++)
            items[j] = tf_literal(s, r->items[j]);
        r->items = items;
    }
}

static void split_default_list(pg_settings *s, pg_resolved *r, const char *text)
{
    size_t cap = 0, n = 0;
    const char **items = NULL;
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ') {
            p++;
            len--;
        }
        if (len) {
            pg_grow(&items, &cap, n + 1, sizeof *items);
            items[n++] = pg_arena_keep(&s->arena, pg_xasprintf("%.*s", (int)len, p));
        }
        p += len + (end ? 1 : 0);
        if (!end)
            break;
    }
    if (items)
        pg_arena_keep(&s->arena, (char *)items);
    r->items = items;
    r->item_count = n;
}

int pg_settings_resolve(pg_settings *s, const pg_profile *p, const pg_declared *decls,
                        size_t decl_count, pg_errors *err)
{
    size_t before = err->count, total = 0;
    for (size_t i = 0; i < decl_count; i++)
        for (const pg_setting *d = decls[i].settings; d->key; d++) {
            total++;
            for (size_t j = 0; j < i; j++)
                for (const pg_setting *o = decls[j].settings; o->key; o++)
                    if (!strcmp(o->key, d->key))
                        pg_errors_add(err, "setting '%s' is declared by both %s and %s", d->key,
                                      decls[j].owner, decls[i].owner);
        }
    s->entries = pg_xcalloc(total, sizeof *s->entries);
    for (size_t i = 0; i < decl_count; i++)
        for (const pg_setting *d = decls[i].settings; d->key; d++) {
            pg_resolved *r = &s->entries[s->count++];
            *r = (pg_resolved){.decl = d, .owner = decls[i].owner};
            const pg_value *v = pg_profile_find(p, d->key);
            bool is_list = d->type == PG_TYPE_LIST;
            if (!v) {
                r->at = (pg_origin){p->path, 0, 0};
                if (!d->default_value) {
                    report(err, r->at, p->path, "missing required key '%s' (%s)", d->key,
                           d->help ? d->help : "no default");
                } else if (is_list) {
                    split_default_list(s, r, d->default_value);
                } else {
                    parse_scalar(r, d->default_value, false, err, p->path);
                }
                continue;
            }
            r->at = v->at;
            if (is_list != (v->text == NULL)) {
                report(err, r->at, p->path, "'%s' must be %s", d->key,
                       is_list ? "a list" : "a single value, not a list");
                continue;
            }
            if (is_list) {
                r->items = (const char *const *)v->items;
                r->item_count = v->item_count;
            } else {
                parse_scalar(r, v->text, v->quoted, err, p->path);
            }
        }
    for (size_t i = 0; i < p->count; i++) {
        const pg_value *v = &p->values[i];
        if (find_decl(decls, decl_count, v->key))
            continue;
        const char *hint = closest_key(decls, decl_count, v->key);
        char shown[PG_SHOWN_SIZE];
        if (hint)
            report(err, v->at, p->path, "unknown key %s (did you mean '%s'?)",
                   pg_shown(shown, v->key), hint);
        else
            report(err, v->at, p->path, "unknown key %s (see docs/profile.md for the keys a "
                   "profile may hold)", pg_shown(shown, v->key));
    }
    escape_values(s);
    pg_sort(s->entries, s->count, sizeof *s->entries, cmp_resolved);
    return err->count > before ? -1 : 0;
}

const pg_resolved *pg_settings_get(const pg_settings *s, const char *key)
{
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(key, s->entries[mid].decl->key);
        if (c == 0)
            return &s->entries[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

void pg_settings_free(pg_settings *s)
{
    free(s->entries);
    pg_arena_free(&s->arena);
    *s = (pg_settings){0};
}
