/* SPDX-License-Identifier: Apache-2.0 */
/* check.c - the entry of paygen check: runs the rule table over a stack
 * (the rules that apply to it), waives findings and frees them. The rules
 * and their helpers live below it and never call back into this file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

void pg_findings_free(pg_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].stack);
        free(f->items[i].address);
        free(f->items[i].message);
    }
    free(f->items);
    f->items = NULL;
    f->count = f->cap = 0;
}

/* types is a space-separated list of resource types ("data." for data
 * sources), "*" for a rule that looks at every resource, or "provider" for
 * one that needs the aws provider blocks of a generated stack. */
static bool applicable(const pg_check_ctx *c, const char *types)
{
    if (!strcmp(types, "*")) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
        return r && r->child;
    }
    if (!strcmp(types, "provider"))
        return pg_c_path(c->doc, "provider.aws") != NULL;
    char buf[256];
    for (const char *p = types; *p;) {
        size_t n = strcspn(p, " ");
        snprintf(buf, sizeof buf, "%.*s", (int)n, p);
        bool data = pg_str_starts_with(buf, "data.");
        const cJSON *t = pg_c_type(c, data, data ? buf + 5 : buf);
        if (t && t->child)
            return true;
        p += n;
        while (*p == ' ')
            p++;
    }
    return false;
}

size_t pg_check_stack(const cJSON *doc, const char *stack, const char *file, int protection,
                      pg_findings *out, bool *applies)
{
    size_t n;
    const pg_rule *rules = pg_check_rules(&n);
    pg_check_ctx c = {.doc = doc, .stack = stack, .file = file, .protection = protection, .out = out};
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        c.rule = &rules[i];
        if (!applicable(&c, rules[i].types))
            continue;
        if (applies)
            applies[i] = true;
        c.found = 0;
        rules[i].check(&c);
        total += c.found;
    }
    return total;
}

size_t pg_check_waive(pg_findings *f, size_t first, const pg_waivers *waivers)
{
    size_t open = 0;
    for (size_t i = first; i < f->count; i++) {
        pg_finding *x = &f->items[i];
        for (size_t k = 0; !x->waiver && k < waivers->count; k++)
            if (waivers->items[k].rule == x->rule)
                x->waiver = &waivers->items[k];
        open += !pg_finding_waived(x);
    }
    return open;
}
