/* SPDX-License-Identifier: Apache-2.0 */
/* diff.c - resource-level comparison of two stack documents (SPEC D7).
 *
 * A resource whose block disappears is destroyed by Terraform even when the
 * old block said prevent_destroy: the flag lives in the block that is gone.
 * That is why removals of stateful resources are called out with advice,
 * instead of trusting the protection to stop them.
 *
 * Adoption: a block with an import block (Terraform >= 1.5) is an object that
 * exists today, brought under management. Its first appearance is "adopted",
 * not "added"; destroying or replacing it later destroys what ran before
 * paygen (today's database), so that is always called out. */
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

typedef struct type_arg {
    const char *type, *arg;
} type_arg;

/* Arguments that force replacement for one type only (the provider's
 * ForceNew in internal/service/rds): kms_key_id, say, is changed in place on
 * a log group but replaces a database. */
static const type_arg identifying_for[] = {
    {"aws_db_instance", "db_name"},
    {"aws_db_instance", "kms_key_id"},
    {"aws_db_instance", "username"},
    {"aws_rds_cluster", "availability_zones"},
    {"aws_rds_cluster", "database_name"},
    {"aws_rds_cluster", "db_subnet_group_name"},
    {"aws_rds_cluster", "engine_mode"},
    {"aws_rds_cluster", "kms_key_id"},
    {"aws_rds_cluster", "master_username"},
    {"aws_rds_cluster_instance", "db_subnet_group_name"},
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
    {"aws_ecr_repository",
     "its images go with it: copy the images the services run elsewhere, or keep it with "
     "'terraform state rm'; a non-empty repository without force_delete fails the destroy"},
    {"aws_secretsmanager_secret", "keep the secret with 'terraform state rm' before applying"},
    {"aws_cloudwatch_log_group",
     "logs are audit evidence (PCI DSS 10.5.1): export them or keep the group with 'terraform state rm'"},
};

/* The argument an imported object's id must equal: a different value makes
 * Terraform import the object and then replace it (every one of them forces
 * replacement in the provider). */
static const type_arg import_names[] = {
    {"aws_db_instance", "identifier"},
    {"aws_db_parameter_group", "name"},
    {"aws_db_subnet_group", "name"},
    {"aws_dms_endpoint", "endpoint_id"},
    {"aws_dms_replication_instance", "replication_instance_id"},
    {"aws_dms_replication_task", "replication_task_id"},
    {"aws_rds_cluster", "cluster_identifier"},
    {"aws_rds_cluster_instance", "identifier"},
    {"aws_rds_cluster_parameter_group", "name"},
    {"aws_rds_global_cluster", "global_cluster_identifier"},
    {"aws_s3_bucket", "bucket"},
};

/* Arguments read only when an object is created (a restore), forcing
 * replacement, and absent from what an import reads: on an adopted block
 * each of them replaces the object (aws_rds_cluster and aws_db_instance in
 * the provider's internal/service/rds). */
static const char *const creation_only[] = {"restore_to_point_in_time", "s3_import",
                                            "snapshot_identifier"};

/* Types that hold a database: their replacement loses today's data. */
static const char *const databases[] = {"aws_db_instance", "aws_rds_cluster",
                                        "aws_rds_cluster_instance"};

/* The dns plugin's record of today's endpoint (weighted_legacy): it goes in
 * production, after its traffic has moved to the new platform. */
static const char legacy_record_advice[] =
    "move today's traffic first: weight_legacy=0 with the new primary carrying it (traffic."
    "auto.tfvars), wait for the health checks and the TTLs, see today's load balancer receive no "
    "more requests, then apply";
static const char adopted_removed_advice[] =
    "it was adopted by import: it ran before paygen and still serves. To stop managing it "
    "without destroying it, run 'terraform state rm <address>' before applying (or, Terraform "
    ">= 1.7, a removed { from = <address>, lifecycle { destroy = false } } block)";
static const char adopted_replaced_advice[] =
    "do not apply: the object was adopted by import and the plan destroys it. Make the "
    "argument equal to what exists again (aws rds describe-db-clusters / describe-db-instances "
    "shows it) and generate again";
static const char import_mismatch_advice[] =
    "do not apply: the block must describe the object the import brings in, or Terraform "
    "imports it and then replaces it; correct the profile (legacy.*) and generate again";
static const char promotion_advice[] =
    "freeze writes on the source first (stop the writers), wait until the replica has caught up "
    "(RDSToAuroraPostgreSQLReplicaLag 0, or pg_last_wal_replay_lsn() on the replica >= "
    "pg_current_wal_lsn() on the source), then apply; the promotion takes minutes and the "
    "writers then use this cluster's endpoint. Writes the source takes after the promotion "
    "never reach it";
static const char reattach_advice[] =
    "do not apply: a promoted cluster cannot become a replica again (the provider refuses to "
    "set replication_source_identifier on an existing cluster); roll back by moving traffic, "
    "and the writes since the promotion are only on this cluster";

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

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

static bool is_identifying(const char *type, const char *arg)
{
    if (in_list(identifying, sizeof identifying / sizeof *identifying, arg))
        return true;
    for (size_t i = 0; i < sizeof identifying_for / sizeof *identifying_for; i++)
        if (!strcmp(identifying_for[i].type, type) && !strcmp(identifying_for[i].arg, arg))
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

static bool is_database(const char *type)
{
    return in_list(databases, sizeof databases / sizeof *databases, type);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static const char *destroy_advice(pg_change_kind kind, const pg_resource *r, bool adopted,
                                  const stateful_type *st, const stateful_type *sv)
{
    if (kind != PG_REMOVED && kind != PG_REPLACED)
        return NULL;
    if (adopted)
        return kind == PG_REMOVED ? adopted_removed_advice : adopted_replaced_advice;
    if (sv && !strcmp(r->type, "aws_route53_record") && ends_with(r->label, "_legacy"))
        return legacy_record_advice;
    return st ? st->advice : sv ? sv->advice : NULL;
}

/* import_id: the import block's id at this address (NULL: none); the change
 * is adopted when there is one. */
static pg_change *add(pg_diff *d, pg_change_kind kind, const pg_resource *r, const cJSON *old_body,
                      char *detail, const char *import_id)
{
    pg_grow(&d->changes, &d->cap, d->count + 1, sizeof *d->changes);
    const stateful_type *st = stateful_of(r->type), *sv = serving_of(r->type);
    bool adopted = import_id != NULL;
    pg_change *c = &d->changes[d->count++];
    *c = (pg_change){
        .kind = kind,
        .address = pg_xasprintf("%s.%s", r->type, r->label),
        .detail = detail,
        .stateful = st != NULL,
        .traffic = sv != NULL,
        .protected_ = old_body && is_protected(old_body),
        .advice = destroy_advice(kind, r, adopted, st, sv),
        .import_id = import_id ? pg_xstrdup(import_id) : NULL,
        .adopted = adopted,
        .destroys_existing = adopted && (kind == PG_REMOVED || kind == PG_REPLACED),
    };
    c->region = label_region(c->address);
    if (c->destroys_existing)
        c->note = pg_xasprintf("%s of an existing %s (adopted by import, id %s)",
                               kind == PG_REMOVED ? "destruction" : "replacement",
                               is_database(r->type) ? "database" : "resource", import_id);
    return c;
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
static char *changed_arguments(const char *type, const cJSON *a, const cJSON *b, bool *replaces)
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
        bool id = is_identifying(type, x->string);
        *replaces = *replaces || id;
        append_arg(&list, "", x->string, id ? " (forces replacement)" : "");
    }
    cJSON_ArrayForEach(x, b)
    {
        if (find_arg(&ia, x))
            continue;
        *replaces = *replaces || is_identifying(type, x->string);
        append_arg(&list, "+", x->string, "");
    }
    free(ia.items);
    free(ib.items);
    return list;
}

static bool has_value(const cJSON *v)
{
    return v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && !*v->valuestring);
}

/* Removing replication_source_identifier promotes the replica
 * (PromoteReadReplicaDBCluster in the provider's resourceClusterUpdate);
 * setting or changing it on a cluster that exists is refused there. */
static pg_replica_step replica_step(const char *type, const cJSON *a, const cJSON *b)
{
    if (strcmp(type, "aws_rds_cluster") != 0)
        return PG_REPLICA_NONE;
    const cJSON *was = cJSON_GetObjectItemCaseSensitive(a, "replication_source_identifier");
    const cJSON *is = cJSON_GetObjectItemCaseSensitive(b, "replication_source_identifier");
    if (has_value(was) && !has_value(is))
        return PG_REPLICA_PROMOTED;
    if (has_value(is) && !(has_value(was) && cJSON_Compare(was, is, true)))
        return PG_REPLICA_REATTACHED;
    return PG_REPLICA_NONE;
}

static void note_replica(pg_change *c, pg_replica_step step)
{
    c->replica = step;
    if (step == PG_REPLICA_NONE)
        return;
    free(c->note);
    c->note = pg_xstrdup(step == PG_REPLICA_PROMOTED
                             ? "promotion of the replica: writes must be frozen on the source first"
                             : "the cluster would become a replica again, which the provider refuses");
    c->advice = step == PG_REPLICA_PROMOTED ? promotion_advice : reattach_advice;
}

/* What in an adopted block would replace the object it imports: the naming
 * argument differing from the id, or an argument only a creation reads.
 * Expressions are not judged. */
static char *import_mismatch(const pg_resource *r, const char *id)
{
    for (size_t i = 0; i < sizeof import_names / sizeof *import_names; i++) {
        if (strcmp(import_names[i].type, r->type) != 0)
            continue;
        const char *arg = import_names[i].arg;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, arg);
        if (cJSON_IsString(v) && !strstr(v->valuestring, "${") && !strstr(id, "${") &&
            strcmp(v->valuestring, id) != 0)
            return pg_xasprintf("%s '%s' is not the imported '%s' (forces replacement)", arg,
                                v->valuestring, id);
    }
    for (size_t i = 0; i < sizeof creation_only / sizeof *creation_only; i++)
        if (cJSON_GetObjectItemCaseSensitive(r->body, creation_only[i]))
            return pg_xasprintf("%s on an imported object (forces replacement)", creation_only[i]);
    return NULL;
}

static void adopt(pg_diff *d, const pg_resource *r, const char *id)
{
    char *mismatch = import_mismatch(r, id);
    pg_change *c = add(d, PG_ADOPTED, r, NULL, mismatch, id);
    if (!mismatch)
        return;
    c->destroys_existing = true;
    c->advice = import_mismatch_advice;
    c->note = pg_xasprintf("replacement of an existing %s right after its import (id %s)",
                           is_database(r->type) ? "database" : "resource", id);
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

/* import blocks: "import": {...} or [{...}, ...], each with "to" and "id"
 * (https://developer.hashicorp.com/terraform/language/import). */
static void push_import(reader *rd, const cJSON *block)
{
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(block, "to");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(block, "id");
    if (!cJSON_IsObject(block) || !cJSON_IsString(to) || !cJSON_IsString(id) || !*id->valuestring) {
        pg_errors_add(rd->err, "%s: an import block needs the strings \"to\" and \"id\"", rd->where);
        rd->rc = -1;
        return;
    }
    pg_grow(&rd->r->imports, &rd->r->import_cap, rd->r->import_count + 1, sizeof *rd->r->imports);
    rd->r->imports[rd->r->import_count++] = (pg_import){to->valuestring, id->valuestring};
}

static void read_imports(reader *rd, const cJSON *doc)
{
    const cJSON *imports = cJSON_GetObjectItemCaseSensitive(doc, "import");
    if (cJSON_IsObject(imports)) {
        push_import(rd, imports);
    } else if (cJSON_IsArray(imports)) {
        for (const cJSON *e = imports->child; e; e = e->next)
            push_import(rd, e);
    } else if (imports) {
        pg_errors_add(rd->err, "%s: \"import\" is neither an object nor an array of objects", rd->where);
        rd->rc = -1;
    }
}

static int cmp_import(const void *a, const void *b)
{
    return strcmp(((const pg_import *)a)->to, ((const pg_import *)b)->to);
}

/* strcmp(to, "<type>.<label>") without building the address. */
static int cmp_address(const char *to, const char *type, const char *label)
{
    size_t n = strlen(type);
    int r = strncmp(to, type, n);
    if (r)
        return r;
    if (to[n] != '.')
        return (unsigned char)to[n] - (unsigned char)'.';
    return strcmp(to + n + 1, label);
}

/* The id imported at r's address on that side, or NULL. */
static const char *import_of(const pg_resources *side, const pg_resource *r)
{
    size_t lo = 0, hi = side->import_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_address(side->imports[mid].to, r->type, r->label);
        if (!c)
            return side->imports[mid].id;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
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
    read_imports(&rd, doc);
    pg_sort(r->items, r->count, sizeof *r->items, cmp_resource);
    pg_sort(r->imports, r->import_count, sizeof *r->imports, cmp_import);
    for (size_t i = 1; i < r->import_count; i++)
        if (!cmp_import(&r->imports[i - 1], &r->imports[i])) {
            pg_errors_add(err, "%s: %.200s is imported more than once (Terraform refuses it)", where,
                          r->imports[i].to);
            rd.rc = -1;
        }
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
    free(r->imports);
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
            add(d, PG_REMOVED, a, a->body, NULL, import_of(from, a));
            i++;
        } else if (c > 0) {
            const char *id = import_of(to, b);
            if (id)
                adopt(d, b, id);
            else
                add(d, PG_ADDED, b, NULL, NULL, NULL);
            j++;
        } else {
            bool replaces;
            char *detail = changed_arguments(a->type, a->body, b->body, &replaces);
            const char *id = import_of(to, b);
            if (detail) {
                pg_change *ch = add(d, replaces ? PG_REPLACED : PG_CHANGED, b, a->body, detail,
                                    id ? id : import_of(from, a));
                note_replica(ch, replica_step(a->type, a->body, b->body));
            }
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
    if (c->destroys_existing || c->replica != PG_REPLICA_NONE)
        return true;
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

size_t pg_diff_count(const pg_diff *d, pg_change_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->changes[i].kind == kind;
    return n;
}

void pg_diff_free(pg_diff *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->changes[i].address);
        free(d->changes[i].detail);
        free(d->changes[i].import_id);
        free(d->changes[i].note);
    }
    free(d->changes);
    *d = (pg_diff){0};
}
