/* SPDX-License-Identifier: Apache-2.0 */
/* check_query.c - what every rule uses to read Terraform JSON and to report:
 * resources by type, values at paths, references between resources, customer
 * managed keys, and the violation a rule records. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

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

char *pg_c_addr(const char *type, const char *label)
{
    return pg_xasprintf("%s.%s", type, label);
}

const cJSON *pg_c_type(const pg_check_ctx *c, bool data, const char *type)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(c->doc, data ? "data" : "resource");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(all, type);
    return cJSON_IsObject(t) ? t : NULL;
}

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
