/* SPDX-License-Identifier: Apache-2.0 */
/* hashtab.h - an index over an array the caller owns: open addressing, at
 * most half full. A slot holds an item's position + 1, 0 when empty. The
 * caller hashes its keys and compares its items; the table only finds slots:
 *
 *     size_t *s = pg_hashtab_first(&t, hash);
 *     while (s && *s && !same(&items[*s - 1], key))
 *         s = pg_hashtab_next(&t, s);
 *     // s && *s: found items[*s - 1]
 *
 * and to add items[n], whose key is not there yet: pg_hashtab_reserve(), the
 * same search, then *s = n + 1.
 */
#ifndef PG_HASHTAB_H
#define PG_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pg_hashtab {
    size_t *slots;
    size_t size; /* a power of two, or 0 before the first pg_hashtab_reserve() */
} pg_hashtab;

#define PG_HASH_SEED UINT64_C(1469598103934665603)

/* FNV-1a of s, continuing from h: hashing "a" then "b" equals hashing "ab". */
uint64_t pg_hash_str(const char *s, uint64_t h);
uint64_t pg_hash_ptr(const void *p);

/* The first slot to look at for hash; NULL while the table is empty. */
size_t *pg_hashtab_first(const pg_hashtab *t, uint64_t hash);
/* The slot after slot, wrapping around. */
size_t *pg_hashtab_next(const pg_hashtab *t, size_t *slot);
/* Room for one more item when count items are indexed. When the table
 * grows, each item i < count goes back under hash_of(items, i). */
void pg_hashtab_reserve(pg_hashtab *t, size_t count, uint64_t (*hash_of)(const void *items, size_t i),
                        const void *items);
void pg_hashtab_free(pg_hashtab *t);

#endif
