/* SPDX-License-Identifier: Apache-2.0 */
/* replication.c - cross-region replication (R7), from the migration phase on,
 * and the permissions of the replication role on exactly those buckets and
 * keys.
 *
 * Transaction logs are written wherever the service runs, so every region
 * copies its own out: a replication configuration on each region's bucket
 * towards every other region (two-way replication), rather than one writer
 * bucket, which would make the secondary's requests depend on the primary's
 * S3 and lose writes exactly when the primary region fails. Per rule:
 *  - replica modification sync, so that retention, tags or legal holds set on
 *    a replica reach the original (S3 UG replication-for-metadata-changes.html;
 *    API ReplicaModifications: enabled on the rules of both buckets);
 *  - no loop: S3 does not replicate objects that are themselves replicas
 *    (S3 UG replication-what-is-isnot-replicated.html), only their metadata
 *    changes, with the sync above;
 *  - no existing_object_replication: S3 refuses it (MalformedXML) unless AWS
 *    Support enables it for the account; objects written before a rule
 *    exists are copied once with S3 Batch Replication instead
 *    (S3 UG s3-batch-replication-batch.html);
 *  - delete markers, the destination region's storage key for the replica,
 *    Replication Time Control with its metrics, as for the audit trail.
 * The audit trail has one writer, CloudTrail in the primary: primary to every
 * secondary only.
 *
 * One role policy per source region, on the s3_replication role of that
 * region when iam has one there, otherwise on the primary's (IAM is global):
 * read and decrypt its own buckets, replicate into and encrypt for the
 * others. */
#include "storage.h"

/* Appends to list the ARNs of the buckets of region i that replicate out of
 * region source (i == source) or into it (i != source), or of their objects;
 * only the locked ones with locked_only. */
static cJSON *append_arns(pg_out *out, cJSON *list, bucket regions[][BUCKET_KINDS], size_t i,
                          size_t source, bool objects, bool locked_only)
{
    for (size_t k = 0; k < BUCKET_KINDS; k++) {
        const bucket *b = &regions[i][k];
        if (!storage_replicates_from(b->spec, source) || (locked_only && !b->spec->locked))
            continue;
        const char *arn = pg_ref(out, b->made.bucket, "arn");
        cJSON_AddItemToArray(list, cJSON_CreateString(objects ? pg_printf(out, "%s/*", arn) : arn));
    }
    return list;
}

static cJSON *arns(pg_out *out, bucket regions[][BUCKET_KINDS], size_t i, size_t source,
                   bool objects, bool locked_only)
{
    return append_arns(out, cJSON_CreateArray(), regions, i, source, objects, locked_only);
}

/* The destination objects: those buckets in every region but the source. */
static cJSON *destination_objects(pg_out *out, bucket regions[][BUCKET_KINDS], size_t count,
                                  size_t source)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++)
        if (i != source)
            append_arns(out, list, regions, i, source, true, false);
    return list;
}

/* Use of the storage key of region i by S3 for the buckets copied out of
 * source: kms:ViaService S3 of the key's region, and the encryption context
 * of those buckets (bucket ARN with bucket keys, object ARN without). */
static void key_statement(pg_out *out, cJSON *doc, const char *sid, cJSON *actions,
                          bucket regions[][BUCKET_KINDS], size_t i, size_t source)
{
    const pg_region *r = regions[i][0].region;
    cJSON *context = arns(out, regions, i, source, false, false);
    append_arns(out, context, regions, i, source, true, false);
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

/* The permissions of the role that copies out of region source. */
static cJSON *role_policy(pg_out *out, bucket regions[][BUCKET_KINDS], size_t count, size_t source,
                          const char *role)
{
    const pg_region *src = regions[source][0].region;
    cJSON *doc = pg_data(out, src, "aws_iam_policy_document", "s3_replication",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceBuckets"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetReplicationConfiguration", "s3:ListBucket"),
                                  PG_JSON("resources", arns(out, regions, source, source, false, false))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceObjects"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetObjectVersionForReplication",
                                          "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"),
                                  PG_JSON("resources", arns(out, regions, source, source, true, false))),
                         /* Replicating Object Lock retention needs these on the locked source. */
                         PG_BLOCK("statement",
                                  PG_STR("sid", "SourceObjectLock"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetObjectRetention", "s3:GetObjectLegalHold"),
                                  PG_JSON("resources", arns(out, regions, source, source, true, true))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DestinationObjects"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:ReplicateObject", "s3:ReplicateDelete",
                                          "s3:ReplicateTags"),
                                  PG_JSON("resources", destination_objects(out, regions, count, source))));
    key_statement(out, doc, "DecryptSource", pg_strings("kms:Decrypt"), regions, source, source);
    for (size_t i = 0; i < count; i++) {
        if (i == source)
            continue;
        const char *code = regions[i][0].region->code;
        key_statement(out, doc, pg_printf(out, "EncryptReplica%c%s", code[0] - 32, code + 1),
                      pg_strings("kms:Encrypt", "kms:GenerateDataKey"), regions, i, source);
    }

    /* The primary's policy keeps the name it had when it was the only one (a
     * new name replaces it); the others carry their region, since they may
     * share the primary's role. */
    return pg_resource(out, src, "aws_iam_role_policy", "s3_replication",
                       PG_STR("name", pg_name(out, src->primary ? NULL : src, "s3-replication", 128)),
                       PG_STR("role", role),
                       PG_REF("policy", doc, "json"));
}

static const char *rule_id(pg_out *out, const bucket *src, const pg_region *dst)
{
    return pg_printf(out, "%s-to-%s", src->spec->kind, dst->code);
}

static void replicate(pg_out *out, const storage_cfg *cfg, bucket regions[][BUCKET_KINDS],
                      size_t count, size_t source, size_t k, const char *role_arn,
                      const cJSON *policy)
{
    const bucket *src = &regions[source][k];
    const bool two_way = src->spec->replication == REPLICATE_EVERY_REGION;
    cJSON *rc = pg_resource(out, src->region, "aws_s3_bucket_replication_configuration",
                            src->spec->label,
                            PG_REF("bucket", src->made.bucket, "id"),
                            PG_STR("role", role_arn),
                            PG_DEPENDS_ON(src->made.versioning, policy));
    if (src->made.object_lock)
        pg_set(out, rc, PG_DEPENDS_ON(src->made.object_lock));
    int priority = 0;
    const pg_region *first = NULL;
    for (size_t i = 0; i < count; i++) {
        if (i == source)
            continue;
        const bucket *dst = &regions[i][k];
        first = first ? first : dst->region;
        pg_block(out, rc, "rule",
                 PG_STR("id", rule_id(out, src, dst->region)),
                 PG_INT("priority", ++priority),
                 PG_STR("status", "Enabled"),
                 PG_BLOCK("filter"), /* V2 rule: every object */
                 PG_BLOCK("delete_marker_replication", PG_STR("status", "Enabled")),
                 PG_BLOCK("source_selection_criteria",
                          PG_IF(two_way,
                                PG_BLOCK("replica_modifications", PG_STR("status", "Enabled"))),
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
        /* A locked source replicates only into a locked destination
         * (DstBucketObjectLockConfigMissing). */
        if (dst->made.object_lock)
            pg_set(out, rc, PG_DEPENDS_ON(dst->made.object_lock));
    }

    /* The replication alarms read the rule id of the copy to the first other region. */
    pg_publish_string(out, src->region,
                      pg_printf(out, "storage.replication.%s.rule_id", src->spec->label),
                      rule_id(out, src, first));
}

/* Copies out of region source, if it writes a replicated bucket. */
static int replicate_from(const pg_ctx *ctx, pg_out *out, const storage_cfg *cfg,
                          bucket regions[][BUCKET_KINDS], size_t count, size_t source)
{
    size_t kinds = 0;
    for (size_t k = 0; k < BUCKET_KINDS; k++)
        kinds += storage_replicates_from(&storage_buckets[k], source);
    if (!kinds)
        return 0;
    const pg_region *src = regions[source][0].region;
    const pg_region *owner = pg_lookup(ctx, src, "iam.s3_replication.arn") ? src : regions[0][0].region;
    const char *role_arn = pg_need(ctx, owner, "iam.s3_replication.arn");
    const char *role_name = pg_need(ctx, owner, "iam.s3_replication.name");
    if (!role_arn || !role_name)
        return -1;
    cJSON *policy = role_policy(out, regions, count, source, role_name);
    for (size_t k = 0; k < BUCKET_KINDS; k++)
        if (storage_replicates_from(&storage_buckets[k], source))
            replicate(out, cfg, regions, count, source, k, role_arn, policy);
    return 0;
}

int storage_replication(const pg_ctx *ctx, pg_out *out, const storage_cfg *cfg,
                        bucket regions[][BUCKET_KINDS], size_t region_count)
{
    if (region_count < 2)
        return 0;
    for (size_t source = 0; source < region_count; source++)
        if (replicate_from(ctx, out, cfg, regions, region_count, source) < 0)
            return -1;
    return 0;
}
