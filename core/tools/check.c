/* SPDX-License-Identifier: Apache-2.0 */
/* check.c - runs the guardrail table over a stack, and the helpers the rules
 * use to read Terraform JSON: paths, references between resources, and IAM
 * policy statements. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

const char *pg_severity_name(pg_severity s)
{
    static const char *const names[] = {"low", "medium", "high", "critical"};
    return names[s];
}

void pg_violation(pg_check_ctx *c, const char *address, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    pg_findings *f = c->out;
    pg_grow(&f->items, &f->cap, f->count + 1, sizeof *f->items);
    f->items[f->count++] = (pg_finding){.rule = c->rule, .file = c->file, .stack = pg_xstrdup(c->stack),
                                        .address = pg_xstrdup(address), .message = msg};
    c->found++;
}

void pg_findings_free(pg_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].stack);
        free(f->items[i].address);
        free(f->items[i].message);
        free(f->items[i].waiver);
    }
    free(f->items);
    f->items = NULL;
    f->count = f->cap = 0;
}

const cJSON *pg_c_type(const pg_check_ctx *c, bool data, const char *type)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(c->doc, data ? "data" : "resource");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(all, type);
    return cJSON_IsObject(t) ? t : NULL;
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

/* ----- reading values */

const cJSON *pg_c_path(const cJSON *node, const char *path)
{
    char key[128];
    while (node && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        while (cJSON_IsArray(node))
            node = node->child;
        node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
        path += n + (path[n] == '.');
    }
    return node;
}

const char *pg_c_str(const cJSON *node, const char *path)
{
    const cJSON *v = pg_c_path(node, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool pg_c_true(const cJSON *node, const char *path)
{
    const cJSON *v = pg_c_path(node, path);
    return cJSON_IsTrue(v) || (cJSON_IsString(v) && !strcmp(v->valuestring, "true"));
}

double pg_c_num(const cJSON *node, const char *path, double def)
{
    const cJSON *v = pg_c_path(node, path);
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    if (cJSON_IsString(v)) {
        char *end;
        double d = strtod(v->valuestring, &end);
        if (end != v->valuestring && !*end)
            return d;
    }
    return def;
}

static bool ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '-';
}

static bool string_mentions(const char *s, const char *needle, size_t n)
{
    for (const char *p = s; (p = strstr(p, needle)); p++) {
        bool start_ok = p == s || (!ident_char(p[-1]) && p[-1] != '.');
        if (start_ok && !ident_char(p[n]))
            return true;
    }
    return false;
}

static bool mentions(const cJSON *node, const char *needle, size_t n)
{
    if (cJSON_IsString(node))
        return string_mentions(node->valuestring, needle, n);
    const cJSON *c;
    cJSON_ArrayForEach(c, node) if (mentions(c, needle, n)) return true;
    return false;
}

bool pg_c_mentions(const cJSON *node, const char *type, const char *label)
{
    char needle[256];
    int n = snprintf(needle, sizeof needle, "%s.%s", type, label);
    return n > 0 && (size_t)n < sizeof needle && mentions(node, needle, (size_t)n);
}

const cJSON *pg_c_referrer(const pg_check_ctx *c, const char *type, const char *arg, const char *ttype,
                           const char *tlabel)
{
    PG_FOR_RES(c, type, r)
    {
        if (pg_c_mentions(pg_c_path(r, arg), ttype, tlabel))
            return r;
    }
    return NULL;
}

bool pg_c_is_cmk(const cJSON *value)
{
    if (!cJSON_IsString(value) || !*value->valuestring)
        return false;
    const char *s = value->valuestring;
    if (strstr(s, "alias/aws/"))
        return false; /* an AWS managed key */
    static const char *const refs[] = {"${aws_kms_key.", "${aws_kms_replica_key.", "${data.aws_kms_key.",
                                       "${aws_kms_alias.", "${data.aws_kms_alias.", NULL};
    for (size_t i = 0; refs[i]; i++)
        if (strstr(s, refs[i]))
            return true;
    return pg_str_starts_with(s, "arn:aws:kms:") || pg_str_starts_with(s, "alias/");
}

bool pg_c_list_has(const cJSON *list, const char *value)
{
    if (cJSON_IsString(list))
        return !strcmp(list->valuestring, value);
    const cJSON *i;
    cJSON_ArrayForEach(i, list) if (cJSON_IsString(i) && !strcmp(i->valuestring, value)) return true;
    return false;
}

/* ----- policy statements */

static bool condition_denies_insecure(const cJSON *variable, const cJSON *values)
{
    return cJSON_IsString(variable) && !strcmp(variable->valuestring, "aws:SecureTransport") &&
           (pg_c_list_has(values, "false") || cJSON_IsFalse(values));
}

void pg_c_doc_statements(pg_check_ctx *c, const cJSON *doc, const char *address, pg_stmt_fn fn, void *user)
{
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(doc, "statement");
    const cJSON *one = cJSON_IsObject(sts) ? sts : NULL;
    size_t i = 0;
    for (const cJSON *st = one ? one : cJSON_IsArray(sts) ? sts->child : NULL; st; st = one ? NULL : st->next) {
        pg_stmt s = {.index = i++};
        const char *effect = pg_c_str(st, "effect");
        s.deny = effect && !strcmp(effect, "Deny");
        s.actions = cJSON_GetObjectItemCaseSensitive(st, "actions");
        s.resources = cJSON_GetObjectItemCaseSensitive(st, "resources");
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "principals");
        const cJSON *p;
        const cJSON *plist[2] = {pr, cJSON_GetObjectItemCaseSensitive(st, "not_principals")};
        for (size_t k = 0; k < 2; k++) {
            if (cJSON_IsObject(plist[k]) || (cJSON_IsArray(plist[k]) && plist[k]->child))
                s.has_principal = true;
        }
        if (cJSON_IsObject(pr))
            s.star_principal = pg_c_list_has(cJSON_GetObjectItemCaseSensitive(pr, "identifiers"), "*");
        else
            cJSON_ArrayForEach(p, pr) s.star_principal |=
                pg_c_list_has(cJSON_GetObjectItemCaseSensitive(p, "identifiers"), "*");
        const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "condition");
        s.has_condition = cJSON_IsObject(cond) || (cJSON_IsArray(cond) && cond->child);
        if (cJSON_IsObject(cond))
            s.denies_insecure_transport = condition_denies_insecure(cJSON_GetObjectItemCaseSensitive(cond, "variable"),
                                                                    cJSON_GetObjectItemCaseSensitive(cond, "values"));
        else
            cJSON_ArrayForEach(p, cond) s.denies_insecure_transport |= condition_denies_insecure(
                cJSON_GetObjectItemCaseSensitive(p, "variable"), cJSON_GetObjectItemCaseSensitive(p, "values"));
        s.denies_insecure_transport &= s.deny;
        fn(c, address, &s, user);
    }
}

static void json_statement(pg_check_ctx *c, const char *address, const cJSON *st, size_t index, pg_stmt_fn fn,
                           void *user)
{
    pg_stmt s = {.index = index};
    const char *effect = pg_c_str(st, "Effect");
    s.deny = effect && !strcmp(effect, "Deny");
    s.actions = cJSON_GetObjectItemCaseSensitive(st, "Action");
    s.resources = cJSON_GetObjectItemCaseSensitive(st, "Resource");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
    s.has_principal = pr || cJSON_GetObjectItemCaseSensitive(st, "NotPrincipal");
    if (cJSON_IsString(pr))
        s.star_principal = !strcmp(pr->valuestring, "*");
    const cJSON *p, *pmap = cJSON_IsObject(pr) ? pr : NULL;
    cJSON_ArrayForEach(p, pmap) s.star_principal |= pg_c_list_has(p, "*");
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
    s.has_condition = cJSON_IsObject(cond) && cond->child;
    const cJSON *op;
    cJSON_ArrayForEach(op, cond)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, "aws:SecureTransport");
        if (v && (cJSON_IsFalse(v) || pg_c_list_has(v, "false")))
            s.denies_insecure_transport = s.deny;
    }
    fn(c, address, &s, user);
}

int pg_c_statements(pg_check_ctx *c, const cJSON *policy, const char *owner, pg_stmt_fn fn, void *user)
{
    if (!cJSON_IsString(policy))
        return -1;
    const char *s = policy->valuestring;
    const char *prefix = "${data.aws_iam_policy_document.";
    if (pg_str_starts_with(s, prefix)) {
        char label[128];
        size_t n = strcspn(s + strlen(prefix), ".}");
        snprintf(label, sizeof label, "%.*s", (int)n, s + strlen(prefix));
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(pg_c_type(c, true, "aws_iam_policy_document"), label);
        if (!doc)
            return -1;
        char *address = pg_xasprintf("data.aws_iam_policy_document.%s", label);
        pg_c_doc_statements(c, doc, address, fn, user);
        free(address);
        return 0;
    }
    cJSON *json = cJSON_Parse(s);
    if (!json)
        return -1;
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(json, "Statement");
    if (cJSON_IsObject(sts)) {
        json_statement(c, owner, sts, 0, fn, user);
    } else {
        size_t i = 0;
        const cJSON *st;
        cJSON_ArrayForEach(st, sts) json_statement(c, owner, st, i++, fn, user);
    }
    cJSON_Delete(json);
    return 0;
}

size_t pg_check_waive(pg_findings *f, size_t first, const cJSON *waivers)
{
    size_t open = 0;
    for (size_t i = first; i < f->count; i++) {
        pg_finding *x = &f->items[i];
        const cJSON *w;
        cJSON_ArrayForEach(w, waivers)
        {
            const char *text = cJSON_IsString(w) ? w->valuestring : "";
            size_t id_len = strlen(x->rule->id);
            if (!x->waiver && !strncmp(text, x->rule->id, id_len) && text[id_len] == ':') {
                const char *reason = text + id_len + 1;
                while (*reason == ' ')
                    reason++;
                x->waiver = pg_xstrdup(reason);
            }
        }
        open += x->waiver == NULL;
    }
    return open;
}
