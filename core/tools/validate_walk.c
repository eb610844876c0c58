/* SPDX-License-Identifier: Apache-2.0 */
/* validate_walk.c - the toolbox every validate file shares: findings (errors
 * and warnings under their paths), walking objects and arrays of objects,
 * identifier and shape tests, and did-you-mean suggestions. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

void pg_v_path(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, PATH_MAX_LEN, fmt, ap);
    va_end(ap);
}

static void vfinding(pg_vstate *v, pg_errors *list, const char *path, const char *fmt, va_list ap)
{
    char *msg = pg_xvasprintf(fmt, ap);
    pg_errors_add(list, "%s/%s: %s", v->stack, path, msg);
    free(msg);
}

void pg_v_error(pg_vstate *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->errors, path, fmt, ap);
    va_end(ap);
    v->error_count++;
}

void pg_v_warn(pg_vstate *v, const char *path, const char *fmt, ...)
{
    if (!v->warnings)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->warnings, path, fmt, ap);
    va_end(ap);
}

const cJSON *pg_v_member(const cJSON *node, const char *key)
{
    if (cJSON_IsObject(node))
        return cJSON_GetObjectItemCaseSensitive(node, key);
    const cJSON *item;
    if (cJSON_IsArray(node))
        cJSON_ArrayForEach(item, node)
        {
            const cJSON *hit = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, key) : NULL;
            if (hit)
                return hit;
        }
    return NULL;
}

void pg_v_iter_init(pg_v_iter *it, const cJSON *node)
{
    it->cur = NULL;
    if (cJSON_IsArray(node)) {
        it->outer = node->child;
        it->obj = it->outer;
    } else {
        it->outer = NULL;
        it->obj = node;
    }
}

const cJSON *pg_v_iter_next(pg_v_iter *it)
{
    for (;;) {
        if (it->cur)
            it->cur = it->cur->next;
        else if (cJSON_IsObject(it->obj))
            it->cur = it->obj->child;
        if (it->cur)
            return it->cur;
        if (!it->outer || !(it->outer = it->outer->next))
            return NULL;
        it->obj = it->outer;
    }
}

const char *pg_v_suggest(const char *name, const cJSON *a, const cJSON *b)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    const cJSON *lists[2] = {a, b};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, lists[i])
        {
            size_t d = pg_edit_distance(name, c->string);
            if (d < best_d) {
                best_d = d;
                best = c->string;
            }
        }
    }
    size_t len = strlen(name);
    return best && best_d <= (len > 9 ? 3 : len > 4 ? 2 : 1) ? best : NULL;
}

bool pg_v_is_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

bool pg_v_is_object_or_objects(const cJSON *node)
{
    if (cJSON_IsObject(node))
        return true;
    if (!cJSON_IsArray(node) || !node->child)
        return false;
    const cJSON *item;
    cJSON_ArrayForEach(item, node) if (!cJSON_IsObject(item)) return false;
    return true;
}

/* Appends ".key" or "[i]" to the path buffer (PATH_MAX_LEN); returns the old length. */
size_t pg_v_path_push(char *path, const char *key, size_t index)
{
    size_t len = strlen(path);
    char num[24];
    if (!key) {
        size_t n = 0;
        char digits[22];
        do
            digits[n++] = (char)('0' + index % 10);
        while ((index /= 10) && n < sizeof digits);
        num[0] = '[';
        for (size_t i = 0; i < n; i++)
            num[1 + i] = digits[n - 1 - i];
        num[n + 1] = ']';
        num[n + 2] = '\0';
    }
    const char *add = key ? key : num;
    size_t n = strlen(add);
    if (len + n + 2 >= PATH_MAX_LEN)
        return len;
    char *p = path + len;
    if (key)
        *p++ = '.';
    memcpy(p, add, n + 1);
    return len;
}
