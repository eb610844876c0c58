/* replication.c - cross-region replication of the primary's replicated
 * buckets to every secondary region (R7), from the migration phase on, and
 * the permissions of the replication role on exactly those buckets and keys. */
#include "storage.h"

static cJSON *arns(pg_out *out, bucket regions[][BUCKET_KINDS], size_t from, size_t to,
                   bool objects, bool locked_only)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k < BUCKET_KINDS; k++) {
            const bucket *b = &regions[i][k];
            if (!b->spec->replicated || (locked_only && !b->spec->locked))
                continue;
            const char *arn = pg_ref(out, b->bucket, "arn");
            cJSON_AddItemToArray(list,
                                 cJSON_CreateString(objects ? pg_printf(out, "%s/*", arn) : arn));
        }
    return list;
}

/* kms:ViaService S3 of the key's region, and the encryption context of the
 * buckets it serves (bucket ARN with bucket keys, object ARN without). */
static void key_conditions(pg_out *out, cJSON *st, const pg_region *r,
                           bucket regions[][BUCKET_KINDS], size_t i)
{
    pg_statement_condition(st, "StringEquals", "kms:ViaService",
                           pg_strings(pg_printf(out, "s3.%s.amazonaws.com", r->name), NULL));
    cJSON *ctx_arns = arns(out, regions, i, i + 1, false, false);
    cJSON *objs = arns(out, regions, i, i + 1, true, false);
    cJSON *item;
    while ((item = cJSON_DetachItemFromArray(objs, 0)))
        cJSON_AddItemToArray(ctx_arns, item);
    cJSON_Delete(objs);
    pg_statement_condition(st, "StringLike", "kms:EncryptionContext:aws:s3:arn", ctx_arns);
}

static cJSON *role_policy(const pg_ctx *ctx, pg_out *out, bucket regions[][BUCKET_KINDS],
                          size_t region_count, const char *role)
{
    const pg_region *primary = regions[0][0].region;
    cJSON *doc = pg_data(out, primary, "aws_iam_policy_document", "s3_replication");
    pg_statement(doc, "SourceBuckets", "Allow",
                 pg_strings("s3:GetReplicationConfiguration", "s3:ListBucket", NULL),
                 arns(out, regions, 0, 1, false, false));
    pg_statement(doc, "SourceObjects", "Allow",
                 pg_strings("s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                            "s3:GetObjectVersionTagging", NULL),
                 arns(out, regions, 0, 1, true, false));
    /* Replicating Object Lock retention needs these on the locked source. */
    pg_statement(doc, "SourceObjectLock", "Allow",
                 pg_strings("s3:GetObjectRetention", "s3:GetObjectLegalHold", NULL),
                 arns(out, regions, 0, 1, true, true));
    pg_statement(doc, "DestinationObjects", "Allow",
                 pg_strings("s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", NULL),
                 arns(out, regions, 1, region_count, true, false));
    cJSON *st = pg_statement(doc, "DecryptSource", "Allow", pg_strings("kms:Decrypt", NULL),
                             pg_strings(regions[0][BUCKET_TRANSACTION_LOGS].key_arn, NULL));
    key_conditions(out, st, primary, regions, 0);
    for (size_t i = 1; i < region_count; i++) {
        const pg_region *r = regions[i][0].region;
        st = pg_statement(doc, pg_printf(out, "EncryptReplica%c%s", r->code[0] - 32, r->code + 1),
                          "Allow", pg_strings("kms:Encrypt", "kms:GenerateDataKey", NULL),
                          pg_strings(regions[i][BUCKET_TRANSACTION_LOGS].key_arn, NULL));
        key_conditions(out, st, r, regions, i);
    }

    cJSON *policy = pg_resource(out, primary, "aws_iam_role_policy", "s3_replication");
    cJSON_AddStringToObject(policy, "name", pg_name(out, NULL, "s3-replication", 128));
    cJSON_AddStringToObject(policy, "role", role);
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));
    (void)ctx;
    return policy;
}

static cJSON *obj(cJSON *parent, const char *key) { return cJSON_AddObjectToObject(parent, key); }

static const char *rule_id(pg_out *out, const bucket *src, const pg_region *dst)
{
    return pg_printf(out, "%s-to-%s", src->spec->kind, dst->code);
}

static void replicate(pg_out *out, const storage_cfg *cfg, bucket regions[][BUCKET_KINDS],
                      size_t region_count, size_t k, const char *role_arn, const cJSON *policy)
{
    const bucket *src = &regions[0][k];
    cJSON *rc =
        pg_resource(out, src->region, "aws_s3_bucket_replication_configuration", src->spec->label);
    cJSON_AddStringToObject(rc, "bucket", pg_ref(out, src->bucket, "id"));
    cJSON_AddStringToObject(rc, "role", role_arn);
    cJSON *rules = cJSON_AddArrayToObject(rc, "rule");
    cJSON *deps = pg_strings(pg_address(out, src->versioning), pg_address(out, policy), NULL);
    for (size_t i = 1; i < region_count; i++) {
        const bucket *dst = &regions[i][k];
        cJSON *rule = cJSON_CreateObject();
        cJSON_AddItemToArray(rules, rule);
        cJSON_AddStringToObject(rule, "id", rule_id(out, src, dst->region));
        cJSON_AddNumberToObject(rule, "priority", (double)i);
        cJSON_AddStringToObject(rule, "status", "Enabled");
        obj(rule, "filter"); /* V2 rule: every object */
        cJSON_AddStringToObject(obj(rule, "delete_marker_replication"), "status", "Enabled");
        cJSON_AddStringToObject(
            obj(obj(rule, "source_selection_criteria"), "sse_kms_encrypted_objects"), "status",
            "Enabled");
        cJSON *d = obj(rule, "destination");
        cJSON_AddStringToObject(d, "bucket", pg_ref(out, dst->bucket, "arn"));
        cJSON_AddStringToObject(d, "storage_class", cfg->replica_storage_class);
        cJSON_AddStringToObject(obj(d, "encryption_configuration"), "replica_kms_key_id",
                                dst->key_arn);
        /* Replication Time Control needs metrics, with the same 15 minutes. */
        cJSON *rtc = obj(d, "replication_time");
        cJSON_AddStringToObject(rtc, "status", "Enabled");
        cJSON_AddNumberToObject(obj(rtc, "time"), "minutes", 15);
        cJSON *metrics = obj(d, "metrics");
        cJSON_AddStringToObject(metrics, "status", "Enabled");
        cJSON_AddNumberToObject(obj(metrics, "event_threshold"), "minutes", 15);
        cJSON_AddItemToArray(deps, cJSON_CreateString(pg_address(out, dst->versioning)));
    }
    cJSON_AddItemToObject(rc, "depends_on", deps);

    /* The alarms of the first secondary's copy read this rule id. */
    pg_publish_string(out, src->region,
                      pg_printf(out, "storage.replication.%s.rule_id", src->spec->label),
                      rule_id(out, src, regions[1][k].region));
}

int storage_replication(const pg_ctx *ctx, pg_out *out, const storage_cfg *cfg,
                        bucket regions[][BUCKET_KINDS], size_t region_count)
{
    if (region_count < 2)
        return 0;
    const pg_region *primary = regions[0][0].region;
    const char *role_arn = pg_lookup_string(ctx, primary, "iam.s3_replication.arn");
    const char *role_name = pg_lookup_string(ctx, primary, "iam.s3_replication.name");
    if (!role_arn || !role_name) {
        pg_error(out,
                 "iam.s3_replication.arn/.name are not published in %s: replication needs the role",
                 primary->name);
        return -1;
    }
    cJSON *policy = role_policy(ctx, out, regions, region_count, role_name);
    for (size_t k = 0; k < BUCKET_KINDS; k++)
        if (storage_buckets[k].replicated)
            replicate(out, cfg, regions, region_count, k, role_arn, policy);
    return 0;
}
