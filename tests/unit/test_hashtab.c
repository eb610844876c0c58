/* SPDX-License-Identifier: Apache-2.0 */
/* The hash index of core/base (hashtab.c): items found at their positions
 * through many growths and with every hash the same, absent keys not found,
 * and string hashes that chain ("a" then "b" hashes as "ab"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hashtab.h"
#include "util.h"

typedef struct table {
    pg_hashtab index;
    char **keys;
    size_t count;
    bool collide; /* every key hashes the same */
} table;

static uint64_t hash(const table *t, const char *key)
{
    return t->collide ? 42 : pg_hash_str(key, PG_HASH_SEED);
}

static uint64_t hash_of(const void *items, size_t i)
{
    const table *t = items;
    return hash(t, t->keys[i]);
}

static size_t *slot(table *t, const char *key)
{
    size_t *s = pg_hashtab_first(&t->index, hash(t, key));
    while (s && *s && strcmp(t->keys[*s - 1], key))
        s = pg_hashtab_next(&t->index, s);
    return s;
}

static void add(table *t, char *key)
{
    pg_hashtab_reserve(&t->index, t->count, hash_of, t);
    *slot(t, key) = t->count + 1;
    t->keys[t->count++] = key;
}

static void fill_and_find(size_t n, bool collide)
{
    table t = {.keys = pg_xcalloc(n, sizeof(char *)), .collide = collide};
    CU_ASSERT_PTR_NULL(slot(&t, "k0")); /* empty: nothing to look at */
    for (size_t i = 0; i < n; i++)
        add(&t, pg_xasprintf("k%zu", i));
    CU_ASSERT_TRUE(t.index.size >= 2 * n);
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%zu", i);
        const size_t *s = slot(&t, key);
        found += s && *s == i + 1;
    }
    CU_ASSERT_EQUAL(found, n);
    CU_ASSERT_EQUAL(*slot(&t, "absent"), 0);
    CU_ASSERT_EQUAL(*slot(&t, "k"), 0);
    for (size_t i = 0; i < n; i++)
        free(t.keys[i]);
    free(t.keys);
    pg_hashtab_free(&t.index);
    CU_ASSERT_PTR_NULL(t.index.slots);
}

static void test_many_keys(void)
{
    fill_and_find(10000, false);
}

static void test_colliding_keys(void)
{
    fill_and_find(300, true);
}

static void test_string_hashes_chain(void)
{
    CU_ASSERT_EQUAL(pg_hash_str("use1/vpc.id", PG_HASH_SEED),
                    pg_hash_str("vpc.id", pg_hash_str("/", pg_hash_str("use1", PG_HASH_SEED))));
    CU_ASSERT_NOT_EQUAL(pg_hash_str("ab", PG_HASH_SEED), pg_hash_str("ba", PG_HASH_SEED));
    int a, b;
    CU_ASSERT_NOT_EQUAL(pg_hash_ptr(&a), pg_hash_ptr(&b));
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"many keys", test_many_keys},
        {"colliding keys", test_colliding_keys},
        {"string hashes chain", test_string_hashes_chain},
        CU_TEST_INFO_NULL,
    };
    return th_main("hashtab", tests);
}
