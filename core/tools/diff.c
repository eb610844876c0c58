/* SPDX-License-Identifier: Apache-2.0 */
/* diff.c - resource-level comparison of two stack documents (SPEC D7).
 *
 * A resource whose block disappears is destroyed by Terraform even when the
 * old block said prevent_destroy: the flag lives in the block that is gone.
 * That is why removals of stateful resources are called out with advice,
 * instead of trusting the protection to stop them. */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Arguments whose change makes AWS create a new resource: a replacement. */
static const char *const identifying[] = {
    "availability_zone", "bucket",     "cidr_block",   "cluster_identifier",
    "customer_master_key_spec",        "engine",       "family",
    "global_cluster_identifier",       "hash_key",     "identifier",
    "multi_region", "name",            "name_prefix",  "object_lock_enabled",
    "storage_encrypted", "vpc_id",     "source_region",
};

typedef struct stateful_type {
    const char *type;
    const char *advice;
} stateful_type;

/* Blocks that serve traffic: removing one while it has weight drops requests. */
static const stateful_type serving[] = {
    {"aws_route53_record",
     "shift traffic first: set the region's weight variable to 0 (terraform apply -var "
     "weight_<code>=0), wait for health checks and TTLs, then apply"},
    {"aws_lb", "shift traffic away from the region first (its weight variable to 0), then apply"},
    {"aws_ecs_service", "shift traffic away from the region first (its weight variable to 0), then apply"},
};

static const stateful_type stateful[] = {
    {"aws_rds_global_cluster",
     "remove the member clusters first; a global cluster with members cannot be deleted"},
    {"aws_rds_cluster",
     "detach it from the global cluster (aws rds remove-from-global-cluster) and keep it with "
     "'terraform state rm', or take a final snapshot and lift deletion protection on purpose"},
    {"aws_rds_cluster_instance", "fail over the writer first if this is the writer instance"},
    {"aws_s3_bucket",
     "keep the bucket and its objects with 'terraform state rm' (bucket and sub-resources), or "
     "copy the objects out first; a non-empty bucket without force_destroy fails the destroy"},
    {"aws_kms_key",
     "everything encrypted with the key becomes unreadable once the deletion window ends: keep it "
     "with 'terraform state rm', or cancel the scheduled deletion in time"},
    {"aws_dynamodb_table", "export the table or keep it with 'terraform state rm'"},
    {"aws_secretsmanager_secret", "keep the secret with 'terraform state rm' before applying"},
    {"aws_cloudwatch_log_group",
     "logs are audit evidence (PCI DSS 10.5.1): export them or keep the group with 'terraform state rm'"},
};

static const stateful_type *find_type(const stateful_type *table, size_t n, const char *type)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(table[i].type, type))
            return &table[i];
    return NULL;
}

static const stateful_type *stateful_of(const char *type)
{
    return find_type(stateful, sizeof stateful / sizeof *stateful, type);
}

static const stateful_type *serving_of(const char *type)
{
    return find_type(serving, sizeof serving / sizeof *serving, type);
}

/* "main_use2" -> "use2": labels made with a region end in its code. */
static const char *label_region(const char *address)
{
    const char *us = strrchr(address, '_');
    if (!us || strchr(us, '.'))
        return NULL;
    const char *p = us + 1;
    size_t letters = 0;
    while (p[letters] >= 'a' && p[letters] <= 'z')
        letters++;
    if (letters < 2 || letters > 5 || !p[letters])
        return NULL;
    for (const char *q = p + letters; *q; q++)
        if (*q < '0' || *q > '9')
            return NULL;
    return p;
}

static bool is_identifying(const char *arg)
{
    for (size_t i = 0; i < sizeof identifying / sizeof *identifying; i++)
        if (!strcmp(identifying[i], arg))
            return true;
    return false;
}

static bool is_protected(const cJSON *body)
{
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(body, "lifecycle");
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lc, "prevent_destroy")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "deletion_protection")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "deletion_protection_enabled")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "enable_deletion_protection"));
}

static void add(pg_diff *d, pg_change_kind kind, const char *type, const char *label,
                const cJSON *old_body, char *detail)
{
    pg_grow(&d->changes, &d->cap, d->count + 1, sizeof *d->changes);
    const stateful_type *st = stateful_of(type), *sv = serving_of(type);
    bool destroys = kind == PG_REMOVED || kind == PG_REPLACED;
    pg_change *c = &d->changes[d->count++];
    *c = (pg_change){
        .kind = kind,
        .address = pg_xasprintf("%s.%s", type, label),
        .detail = detail,
        .stateful = st != NULL,
        .traffic = sv != NULL,
        .protected_ = old_body && is_protected(old_body),
        .advice = !destroys ? NULL : st ? st->advice : sv ? sv->advice : NULL,
    };
    c->region = label_region(c->address);
}

/* The changed top-level arguments, and whether one of them identifies. */
static char *changed_arguments(const cJSON *a, const cJSON *b, bool *replaces)
{
    char *list = NULL;
    *replaces = false;
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
        if (y && cJSON_Compare(x, y, true))
            continue;
        bool id = is_identifying(x->string);
        *replaces = *replaces || id;
        char *next = pg_xasprintf("%s%s%s%s", list ? list : "", list ? ", " : "", x->string,
                                  id ? " (forces replacement)" : "");
        free(list);
        list = next;
    }
    cJSON_ArrayForEach(x, b)
    {
        if (cJSON_GetObjectItemCaseSensitive(a, x->string))
            continue;
        bool id = is_identifying(x->string);
        *replaces = *replaces || id;
        char *next = pg_xasprintf("%s%s+%s", list ? list : "", list ? ", " : "", x->string);
        free(list);
        list = next;
    }
    return list;
}

static int cmp_change(const void *a, const void *b)
{
    const pg_change *x = a, *y = b;
    /* grouped by region (global last), then kind, then address */
    int r = !x->region - !y->region;
    if (!r && x->region && y->region)
        r = strcmp(x->region, y->region);
    if (r)
        return r;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->address, y->address);
}

void pg_diff_stack(pg_diff *d, const cJSON *from, const cJSON *to)
{
    const cJSON *rf = cJSON_GetObjectItemCaseSensitive(from, "resource");
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(to, "resource");
    const cJSON *type;
    cJSON_ArrayForEach(type, rf)
    {
        const cJSON *other = cJSON_GetObjectItemCaseSensitive(rt, type->string);
        const cJSON *block;
        cJSON_ArrayForEach(block, type)
        {
            const cJSON *next = cJSON_GetObjectItemCaseSensitive(other, block->string);
            if (!next) {
                add(d, PG_REMOVED, type->string, block->string, block, NULL);
                continue;
            }
            bool replaces;
            char *detail = changed_arguments(block, next, &replaces);
            if (detail)
                add(d, replaces ? PG_REPLACED : PG_CHANGED, type->string, block->string, block, detail);
        }
    }
    cJSON_ArrayForEach(type, rt)
    {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(rf, type->string);
        const cJSON *block;
        cJSON_ArrayForEach(block, type)
        if (!cJSON_GetObjectItemCaseSensitive(old, block->string))
            add(d, PG_ADDED, type->string, block->string, NULL, NULL);
    }
    pg_sort(d->changes, d->count, sizeof *d->changes, cmp_change);
}

bool pg_change_is_dangerous(const pg_change *c)
{
    return (c->kind == PG_REMOVED || c->kind == PG_REPLACED) &&
           (c->stateful || c->protected_ || c->traffic);
}

bool pg_diff_is_safe(const pg_diff *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (pg_change_is_dangerous(&d->changes[i]))
            return false;
    return true;
}

void pg_diff_free(pg_diff *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->changes[i].address);
        free(d->changes[i].detail);
    }
    free(d->changes);
    *d = (pg_diff){0};
}
