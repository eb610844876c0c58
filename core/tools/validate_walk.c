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

/* Appends text to the path of length len: whole or not at all, or cut at
 * PATH_MAX_LEN - 1 (as snprintf into the buffer would). */
static size_t append(char *dst, size_t len, const char *text, size_t n, bool whole)
{
    if (len + n >= PATH_MAX_LEN) {
        if (whole)
            return len;
        n = PATH_MAX_LEN - 1 - len;
    }
    memcpy(dst + len, text, n);
    dst[len + n] = '\0';
    return len + n;
}

size_t pg_v_path_format(char *dst, const pg_vpath *path)
{
    if (!path) {
        dst[0] = '\0';
        return 0;
    }
    size_t len = pg_v_path_format(dst, path->up);
    char num[32];
    const char *add = path->key;
    if (!add) {
        snprintf(num, sizeof num, "[%zu]", path->index);
        add = num;
    }
    size_t n = strlen(add);
    /* A whole step needs room for a dot and the terminator, index or not. */
    if (path->whole && len + n + 2 >= PATH_MAX_LEN)
        return len;
    if (path->key && len)
        len = append(dst, len, ".", 1, false);
    return append(dst, len, add, n, false);
}

static void vfinding(pg_vstate *v, pg_errors *list, const char *path, const char *fmt, va_list ap)
{
    char *msg = pg_xvasprintf(fmt, ap);
    pg_errors_add(list, "%s/%s: %s", v->stack, path, msg);
    free(msg);
}

void pg_v_error_at(pg_vstate *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->errors, path, fmt, ap);
    va_end(ap);
    v->error_count++;
}

void pg_v_error(pg_vstate *v, const pg_vpath *path, const char *fmt, ...)
{
    char p[PATH_MAX_LEN];
    pg_v_path_format(p, path);
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->errors, p, fmt, ap);
    va_end(ap);
    v->error_count++;
}

void pg_v_warn(pg_vstate *v, const pg_vpath *path, const char *fmt, ...)
{
    if (!v->warnings)
        return;
    char p[PATH_MAX_LEN];
    pg_v_path_format(p, path);
    va_list ap;
    va_start(ap, fmt);
    vfinding(v, v->warnings, p, fmt, ap);
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

void pg_v_copy(char *dst, size_t size, const char *s, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
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
