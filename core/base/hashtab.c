/* SPDX-License-Identifier: Apache-2.0 */
#include "hashtab.h"

#include <stdlib.h>

#include "util.h"

uint64_t pg_hash_str(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

uint64_t pg_hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return x;
}

size_t *pg_hashtab_first(const pg_hashtab *t, uint64_t hash)
{
    return t->size ? &t->slots[hash & (t->size - 1)] : NULL;
}

size_t *pg_hashtab_next(const pg_hashtab *t, size_t *slot)
{
    return slot + 1 < t->slots + t->size ? slot + 1 : t->slots;
}

void pg_hashtab_reserve(pg_hashtab *t, size_t count, uint64_t (*hash_of)(const void *items, size_t i),
                        const void *items)
{
    if ((count + 1) * 2 <= t->size)
        return;
    size_t size = t->size ? t->size * 2 : 64;
    while ((count + 1) * 2 > size)
        size *= 2;
    free(t->slots);
    t->slots = pg_xcalloc(size, sizeof *t->slots);
    t->size = size;
    /* Keys are unique: each item goes to the first empty slot of its hash. */
    for (size_t i = 0; i < count; i++) {
        size_t *s = pg_hashtab_first(t, hash_of(items, i));
        while (*s)
            s = pg_hashtab_next(t, s);
        *s = i + 1;
    }
}

void pg_hashtab_free(pg_hashtab *t)
{
    free(t->slots);
    *t = (pg_hashtab){0};
}
