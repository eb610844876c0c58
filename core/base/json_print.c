/* SPDX-License-Identifier: Apache-2.0 */
/* json_print.c - JSON text the way people diff it: two-space indentation,
 * arrays of scalars on one line, a stable number format. cJSON_Print's tabs
 * would do for Terraform, not for reviewers. */
#include "json_print.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

/* The text is terminated once, at the end (pg_json_print). */
static void put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap)
        pg_grow(&b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void indent(buf *b, int depth)
{
    static const char spaces[] = "                                ";
    for (int d = depth * 2; d > 0; d -= 32)
        put(b, spaces, d < 32 ? (size_t)d : 32);
}

static void string(buf *b, const char *s)
{
    put(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue; /* the common case: copied with its run */
        const char *esc = NULL;
        char hex[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(hex, sizeof hex, "\\u%04x", c);
                esc = hex;
            }
        }
        if (esc) {
            put(b, run, (size_t)(s - run));
            puts_(b, esc);
            run = s + 1;
        }
    }
    put(b, run, (size_t)(s - run));
    put(b, "\"", 1);
}

/* An integer below 1e15 in digits, as "%.0f" prints it ("-0" included). */
static void integer(buf *b, double d)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = (unsigned long long)fabs(d);
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (signbit(d))
        *--p = '-';
    put(b, p, (size_t)(tmp + sizeof tmp - p));
}

static void number(buf *b, double d)
{
    char tmp[32];
    if (!isfinite(d)) {
        puts_(b, "null");
    } else if (d == floor(d) && fabs(d) < 1e15) {
        integer(b, d);
    } else {
        snprintf(tmp, sizeof tmp, "%.17g", d);
        puts_(b, tmp);
    }
}

static int type_of(const cJSON *n) { return n->type & 0xff; }

static bool is_scalar(const cJSON *n) { return type_of(n) != cJSON_Array && type_of(n) != cJSON_Object; }

static void value(buf *b, const cJSON *n, int depth)
{
    int type = type_of(n);
    if (type == cJSON_String) {
        string(b, n->valuestring);
    } else if (type == cJSON_Number) {
        number(b, n->valuedouble);
    } else if (type == cJSON_True || type == cJSON_False) {
        puts_(b, type == cJSON_True ? "true" : "false");
    } else if (type == cJSON_NULL) {
        puts_(b, "null");
    } else if (!n->child) {
        puts_(b, type == cJSON_Array ? "[]" : "{}");
    } else if (type == cJSON_Array) {
        bool flat = true;
        for (const cJSON *c = n->child; c; c = c->next)
            flat = flat && is_scalar(c);
        puts_(b, "[");
        for (const cJSON *c = n->child; c; c = c->next) {
            if (flat) {
                value(b, c, depth);
                if (c->next)
                    puts_(b, ", ");
            } else {
                puts_(b, "\n");
                indent(b, depth + 1);
                value(b, c, depth + 1);
                if (c->next)
                    puts_(b, ",");
            }
        }
        if (!flat) {
            puts_(b, "\n");
            indent(b, depth);
        }
        puts_(b, "]");
    } else {
        puts_(b, "{\n");
        for (const cJSON *c = n->child; c; c = c->next) {
            indent(b, depth + 1);
            string(b, c->string ? c->string : "");
            puts_(b, ": ");
            value(b, c, depth + 1);
            puts_(b, c->next ? ",\n" : "\n");
        }
        indent(b, depth);
        puts_(b, "}");
    }
}

char *pg_json_print(const cJSON *node)
{
    buf b = {0};
    pg_grow(&b.data, &b.cap, 64 * 1024, 1);
    value(&b, node, 0);
    put(&b, "\n", 1);
    b.data[b.len] = '\0';
    return b.data;
}
