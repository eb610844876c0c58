/* SPDX-License-Identifier: Apache-2.0 */
/* replication.c - cross-region replication of the primary's replicated
 * buckets to every secondary region (R7), from the migration phase on, and
 * the permissions of the replication role on exactly those buckets and keys. */
#include "storage.h"

/* Appends to list the ARNs of the replicated buckets of regions [from, to),
 * or of their objects; only the locked ones with locked_only. */
static cJSON *append_arns(pg_out *out, cJSON *list, bucket regions[][BUCKET_KINDS], size_t from,
                          size_t to, bool objects, bool locked_only)
{
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k < BUCKET_KINDS; k++) {
            const bucket *b = &regions[i][k];
            if (!b->spec->replicated || (locked_only && !b->spec->locked))
                continue;
            const char *arn = pg_ref(out, b->made.bucket, "arn");
            cJSON_AddItemToArray(list, cJSON_CreateString(objects ? pg_printf(out, "%s/*", arn) : arn));
        }
    return list;
}

static cJSON *arns(pg_out *out, bucket regions[][BUCKET_KINDS], size_t from, size_t to,
                   bool objects, bool locked_only)
{
    return append_arns(out, cJSON_CreateArray(), regions, from, to, objects, locked_only);
}

/* Use of the storage key of region i by S3 for its replicated buckets:
 * kms:ViaService S3 of the key's region, and the encryption context of the
 * buckets it serves (bucket ARN with bucket keys, object ARN without). */
static void key_statement(pg_out *out, cJSON *doc, const char *sid, cJSON *actions,
                          bucket regions[][BUCKET_KINDS], size_t i)
{
    const pg_region *r = regions[i][0].region;
    cJSON *context = arns(out, regions, i, i + 1, false, false);
    append_arns(out, context, regions, i, i + 1, true, false);
    pg_block(out, doc, "statement",
             PG_STR("sid", sid),
             PG_STR("effect", "Allow"),
             PG_JSON("actions", actions),
             PG_STRS("resources", regions[i][BUCKET_TRANSACTION_LOGS].key_arn),
             PG_CONDITION("StringEquals", "kms:ViaService",
                          pg_printf(out, "s3.%s.amazonaws.com", r->name)),
             PG_BLOCK("condition",
                      PG_STR("test", "StringLike"),
                      PG_STR("variable", "kms:EncryptionContext:aws:s3:arn"),
                      PG_JSON("values", context)));
}

static cJSON *role_policy(pg_out *out, bucket regions[][BUCKET_KINDS], size_t region_count,
                          const char *role)
{
    const pg_region *primary = regions[0][0].region;
    cJSON *doc = pg_data(out, primary, "aws_iam_policy_document", "s3_replication",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceBuckets"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetReplicationConfiguration", "s3:ListBucket"),
                                  PG_JSON("resources", arns(out, regions, 0, 1, false, false))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceObjects"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetObjectVersionForReplication",
                                          "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"),
                                  PG_JSON("resources", arns(out, regions, 0, 1, true, false))),
                         /* Replicating Object Lock retention needs these on the locked source. */
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceObjectLock"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetObjectRetention", "s3:GetObjectLegalHold"),
                                  PG_JSON("resources", arns(out, regions, 0, 1, true, true))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DestinationObjects"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:ReplicateObject", "s3:ReplicateDelete",
                                          "s3:ReplicateTags"),
                                  PG_JSON("resources", arns(out, regions, 1, region_count, true, false))));
    key_statement(out, doc, "DecryptSource", pg_strings("kms:Decrypt"), regions, 0);
    for (size_t i = 1; i < region_count; i++) {
        const char *code = regions[i][0].region->code;
        key_statement(out, doc, pg_printf(out, "EncryptReplica%c%s", code[0] - 32, code + 1),
                      pg_strings("kms:Encrypt", "kms:GenerateDataKey"), regions, i);
    }

    return pg_resource(out, primary, "aws_iam_role_policy", "s3_replication",
                       PG_STR("name", pg_name(out, NULL, "s3-replication", 128)),
                       PG_STR("role", role),
                       PG_REF("policy", doc, "json"));
}

static const char *rule_id(pg_out *out, const bucket *src, const pg_region *dst)
{
    return pg_printf(out, "%s-to-%s", src->spec->kind, dst->code);
}

static void replicate(pg_out *out, const storage_cfg *cfg, bucket regions[][BUCKET_KINDS],
                      size_t region_count, size_t k, const char *role_arn, const cJSON *policy)
{
    const bucket *src = &regions[0][k];
    cJSON *rc = pg_resource(out, src->region, "aws_s3_bucket_replication_configuration",
                            src->spec->label,
                            PG_REF("bucket", src->made.bucket, "id"),
                            PG_STR("role", role_arn),
                            PG_DEPENDS_ON(src->made.versioning, policy));
    for (size_t i = 1; i < region_count; i++) {
        const bucket *dst = &regions[i][k];
        pg_block(out, rc, "rule",
                 PG_STR("id", rule_id(out, src, dst->region)),
                 PG_INT("priority", i),
                 PG_STR("status", "Enabled"),
                 PG_BLOCK("filter"), /* V2 rule: every object */
                 PG_BLOCK("delete_marker_replication", PG_STR("status", "Enabled")),
                 PG_BLOCK("source_selection_criteria",
                          PG_BLOCK("sse_kms_encrypted_objects", PG_STR("status", "Enabled"))),
                 PG_BLOCK("destination",
                          PG_REF("bucket", dst->made.bucket, "arn"),
                          PG_STR("storage_class", cfg->replica_storage_class),
                          PG_BLOCK("encryption_configuration",
                                   PG_STR("replica_kms_key_id", dst->key_arn)),
                          /* Replication Time Control needs metrics, with the same 15 minutes. */
                          PG_BLOCK("replication_time",
                                   PG_STR("status", "Enabled"),
                                   PG_BLOCK("time", PG_INT("minutes", 15))),
                          PG_BLOCK("metrics",
                                   PG_STR("status", "Enabled"),
                                   PG_BLOCK("event_threshold", PG_INT("minutes", 15)))));
        pg_set(out, rc, PG_DEPENDS_ON(dst->made.versioning));
    }

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
    const char *role_arn = pg_need(ctx, primary, "iam.s3_replication.arn");
    const char *role_name = pg_need(ctx, primary, "iam.s3_replication.name");
    if (!role_arn || !role_name)
        return -1;
    cJSON *policy = role_policy(out, regions, region_count, role_name);
    for (size_t k = 0; k < BUCKET_KINDS; k++)
        if (storage_buckets[k].replicated)
            replicate(out, cfg, regions, region_count, k, role_arn, policy);
    return 0;
}
