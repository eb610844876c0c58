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

/* true, or "true" (Terraform converts the string for a bool argument). */
static bool truthy(const cJSON *v)
{
    return cJSON_IsTrue(v) || (cJSON_IsString(v) && !strcmp(v->valuestring, "true"));
}

/* Whether a nested block sets flag: the block is an object, or in the JSON
 * syntax an array of them ("lifecycle": [{"prevent_destroy": true}]). */
static bool block_sets(const cJSON *body, const char *block, const char *flag)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(body, block);
    if (cJSON_IsObject(b))
        return truthy(cJSON_GetObjectItemCaseSensitive(b, flag));
    const cJSON *e, *list = cJSON_IsArray(b) ? b : NULL;
    cJSON_ArrayForEach(e, list)
    if (truthy(cJSON_GetObjectItemCaseSensitive(e, flag)))
        return true;
    return false;
}

static bool is_protected(const cJSON *body)
{
    return block_sets(body, "lifecycle", "prevent_destroy") ||
           truthy(cJSON_GetObjectItemCaseSensitive(body, "deletion_protection")) ||
           truthy(cJSON_GetObjectItemCaseSensitive(body, "deletion_protection_enabled")) ||
           truthy(cJSON_GetObjectItemCaseSensitive(body, "enable_deletion_protection"));
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

/* A body's arguments sorted by name, for lookups in log n: a body from an
 * output directory can hold any number of them. */
typedef struct arg_index {
    const cJSON **items;
    size_t count;
} arg_index;

static int cmp_arg(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static arg_index index_args(const cJSON *body)
{
    arg_index ix = {pg_xmalloc((size_t)cJSON_GetArraySize(body) * sizeof *ix.items), 0};
    for (const cJSON *c = body->child; c; c = c->next)
        if (c->string)
            ix.items[ix.count++] = c;
    pg_sort(ix.items, ix.count, sizeof *ix.items, cmp_arg);
    return ix;
}

static const cJSON *find_arg(const arg_index *ix, const cJSON *arg)
{
    if (!ix->count)
        return NULL;
    const cJSON *const *hit = bsearch(&arg, ix->items, ix->count, sizeof *ix->items, cmp_arg);
    return hit ? *hit : NULL;
}

static void append_arg(char **list, const char *prefix, const char *arg, const char *suffix)
{
    char *next = pg_xasprintf("%s%s%s%s%s", *list ? *list : "", *list ? ", " : "", prefix, arg, suffix);
    free(*list);
    *list = next;
}

/* The changed top-level arguments, and whether one of them identifies. */
static char *changed_arguments(const cJSON *a, const cJSON *b, bool *replaces)
{
    char *list = NULL;
    *replaces = false;
    arg_index ia = index_args(a), ib = index_args(b);
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        const cJSON *y = find_arg(&ib, x);
        if (y && cJSON_Compare(x, y, true))
            continue;
        bool id = is_identifying(x->string);
        *replaces = *replaces || id;
        append_arg(&list, "", x->string, id ? " (forces replacement)" : "");
    }
    cJSON_ArrayForEach(x, b)
    {
        if (find_arg(&ia, x))
            continue;
        *replaces = *replaces || is_identifying(x->string);
        append_arg(&list, "+", x->string, "");
    }
    free(ia.items);
    free(ib.items);
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

/* ----- reading "resource" in every JSON form
 * Terraform's JSON syntax lets each level of labels be an object or an
 * array of objects, and a body be an object or an array of objects (one
 * block each): https://developer.hashicorp.com/terraform/language/syntax/json
 * and https://github.com/hashicorp/hcl/blob/main/json/spec.md ("Blocks"). */

typedef struct reader {
    pg_resources *r;
    const char *where;
    pg_errors *err;
    int rc;
} reader;

static void push(reader *rd, const char *type, const char *label, const cJSON *body)
{
    if (!cJSON_IsObject(body)) {
        pg_errors_add(rd->err, "%s: resource %.100s.%.100s: the body is not an object", rd->where, type,
                      label);
        rd->rc = -1;
        return;
    }
    pg_grow(&rd->r->items, &rd->r->cap, rd->r->count + 1, sizeof *rd->r->items);
    rd->r->items[rd->r->count++] = (pg_resource){type, label, body};
}

/* An object of key -> value, or an array of such objects: each pair goes
 * to f. type is NULL at the level of types. */
static void each_pair(reader *rd, const char *type, const cJSON *level,
                      void (*f)(reader *, const char *, const cJSON *))
{
    if (cJSON_IsObject(level)) {
        for (const cJSON *c = level->child; c; c = c->next)
            f(rd, type, c);
        return;
    }
    bool ok = cJSON_IsArray(level);
    for (const cJSON *e = ok ? level->child : NULL; e; e = e->next)
        if (cJSON_IsObject(e))
            each_pair(rd, type, e, f);
        else
            ok = false;
    if (ok)
        return;
    if (type)
        pg_errors_add(rd->err, "%s: resource type %.100s is neither an object nor an array of objects",
                      rd->where, type);
    else
        pg_errors_add(rd->err, "%s: \"resource\" is neither an object nor an array of objects", rd->where);
    rd->rc = -1;
}

static void on_label(reader *rd, const char *type, const cJSON *block)
{
    if (!cJSON_IsArray(block)) {
        push(rd, type, block->string, block);
        return;
    }
    for (const cJSON *body = block->child; body; body = body->next)
        push(rd, type, block->string, body);
}

static void on_type(reader *rd, const char *type, const cJSON *labels)
{
    (void)type;
    each_pair(rd, labels->string, labels, on_label);
}

static int cmp_resource(const void *a, const void *b)
{
    const pg_resource *x = a, *y = b;
    int r = strcmp(x->type, y->type);
    return r ? r : strcmp(x->label, y->label);
}

int pg_resources_read(pg_resources *r, const cJSON *doc, const char *where, pg_errors *err)
{
    reader rd = {r, where, err, 0};
    const cJSON *resource = cJSON_GetObjectItemCaseSensitive(doc, "resource");
    if (resource)
        each_pair(&rd, NULL, resource, on_type);
    pg_sort(r->items, r->count, sizeof *r->items, cmp_resource);
    for (size_t i = 1; i < r->count; i++)
        if (!cmp_resource(&r->items[i - 1], &r->items[i])) {
            pg_errors_add(err, "%s: resource %.100s.%.100s is defined more than once (Terraform refuses it)",
                          where, r->items[i].type, r->items[i].label);
            rd.rc = -1;
        }
    return rd.rc;
}

void pg_resources_free(pg_resources *r)
{
    free(r->items);
    *r = (pg_resources){0};
}

/* Both lists are sorted: one pass pairs each address with its other side. */
void pg_diff_resources(pg_diff *d, const pg_resources *from, const pg_resources *to)
{
    size_t i = 0, j = 0;
    while (i < from->count || j < to->count) {
        const pg_resource *a = i < from->count ? &from->items[i] : NULL;
        const pg_resource *b = j < to->count ? &to->items[j] : NULL;
        int c = !a ? 1 : !b ? -1 : cmp_resource(a, b);
        if (c < 0) {
            add(d, PG_REMOVED, a->type, a->label, a->body, NULL);
            i++;
        } else if (c > 0) {
            add(d, PG_ADDED, b->type, b->label, NULL, NULL);
            j++;
        } else {
            bool replaces;
            char *detail = changed_arguments(a->body, b->body, &replaces);
            if (detail)
                add(d, replaces ? PG_REPLACED : PG_CHANGED, a->type, a->label, a->body, detail);
            i++;
            j++;
        }
    }
    pg_sort(d->changes, d->count, sizeof *d->changes, cmp_change);
}

void pg_diff_stack(pg_diff *d, const cJSON *from, const cJSON *to)
{
    pg_resources a = {0}, b = {0};
    pg_errors ignored = {0};
    pg_resources_read(&a, from, "from", &ignored);
    pg_resources_read(&b, to, "to", &ignored);
    pg_diff_resources(d, &a, &b);
    pg_errors_free(&ignored);
    pg_resources_free(&a);
    pg_resources_free(&b);
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
