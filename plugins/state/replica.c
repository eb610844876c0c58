/* SPDX-License-Identifier: Apache-2.0 */
/* replica.c - a control plane that survives the primary region (issue 16).
 *
 * From the migration phase on, when a second region exists, the state gets
 * a copy in the first secondary region:
 *  - a bucket of the same hardening with a key of that region, filled by S3
 *    replication from the primary's bucket (every version, delete markers
 *    too, encrypted again with the replica's key); replication copies
 *    objects written after it is set up, and a state object is rewritten on
 *    every apply, so the next apply brings the copy up to date
 *    (S3 UG replication.html, "what is replicated");
 *  - the lock table made a DynamoDB global table with a replica there
 *    (replica blocks of aws_dynamodb_table; global tables need a stream of
 *    new and old images), so a lock taken in either region is seen in both.
 * The payment stack's backend still names the primary; docs/state.md has the
 * break-glass init against the copy, and the way back. */
#include "state.h"

#include <paygen/aws.h>

static const pg_region *first_secondary(const pg_ctx *ctx)
{
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        if (!pg_ctx_region(ctx, i)->primary)
            return pg_ctx_region(ctx, i);
    return NULL;
}

/* The role S3 replicates with: read the source versions, write them to the
 * copy, and the two keys for exactly that (kms:ViaService of each region's
 * S3). */
static cJSON *replication_role(const pg_ctx *ctx, pg_out *out, const pg_region *primary,
                               const pg_region *copy, const state_made *src, const cJSON *dst,
                               const cJSON *dst_key)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    cJSON *trust = pg_data(out, primary, "aws_iam_policy_document", "state_replication_trust",
                           PG_BLOCK("statement",
                                    PG_STR("sid", "TrustedService"),
                                    PG_STR("effect", "Allow"),
                                    PG_STRS("actions", "sts:AssumeRole"),
                                    PG_PRINCIPALS("Service", "s3.amazonaws.com"),
                                    PG_CONDITION("StringEquals", "aws:SourceAccount", account)));
    cJSON *role = pg_resource(out, primary, "aws_iam_role", "state_replication",
                              PG_STR("name", pg_name(out, primary, "tfstate-replication", 64)),
                              PG_STR("path", pg_printf(out, "/%s/", pg_ctx_project(ctx))),
                              PG_STR("description", "S3 replication of the Terraform state"),
                              PG_REF("assume_role_policy", trust, "json"),
                              PG_INT("max_session_duration", 3600),
                              PG_BOOL("force_detach_policies", true),
                              PG_NAME("tfstate-replication"));
    const char *src_arn = pg_ref(out, src->bucket, "arn");
    const char *dst_arn = pg_ref(out, dst, "arn");
    cJSON *doc = pg_data(
        out, primary, "aws_iam_policy_document", "state_replication",
        PG_BLOCK("statement",
                 PG_STR("sid", "SourceBucket"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "s3:GetReplicationConfiguration", "s3:ListBucket"),
                 PG_STRS("resources", src_arn)),
        PG_BLOCK("statement",
                 PG_STR("sid", "SourceVersions"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "s3:GetObjectVersionForReplication",
                         "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"),
                 PG_STRS("resources", pg_printf(out, "%s/*", src_arn))),
        PG_BLOCK("statement",
                 PG_STR("sid", "DestinationWrites"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "s3:ReplicateObject", "s3:ReplicateDelete",
                         "s3:ReplicateTags"),
                 PG_STRS("resources", pg_printf(out, "%s/*", dst_arn))),
        PG_BLOCK("statement",
                 PG_STR("sid", "SourceKeyDecrypt"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Decrypt"),
                 PG_STRS("resources", pg_ref(out, src->key, "arn")),
                 PG_CONDITION("StringEquals", "kms:ViaService",
                              pg_printf(out, "s3.%s.amazonaws.com", primary->name))),
        PG_BLOCK("statement",
                 PG_STR("sid", "DestinationKeyEncrypt"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Encrypt", "kms:GenerateDataKey"),
                 PG_STRS("resources", pg_ref(out, dst_key, "arn")),
                 PG_CONDITION("StringEquals", "kms:ViaService",
                              pg_printf(out, "s3.%s.amazonaws.com", copy->name))));
    pg_resource(out, primary, "aws_iam_role_policy", "state_replication",
                PG_STR("name", pg_name(out, primary, "tfstate-replication", 128)),
                PG_REF("role", role, "id"),
                PG_REF("policy", doc, "json"));
    return role;
}

int state_replica(const pg_ctx *ctx, pg_out *out, const state_names *names, state_made *made)
{
    const pg_region *copy = first_secondary(ctx);
    if (pg_ctx_phase(ctx) == PG_PHASE_LEGACY || !copy)
        return 0;
    const pg_region *primary = pg_ctx_primary(ctx);

    cJSON *key = state_key(ctx, out, copy, names);
    pg_aws_bucket dst;
    if (state_bucket(ctx, out, copy, pg_name(out, copy, "tfstate", 63), key, &dst) < 0)
        return -1;

    cJSON *role = replication_role(ctx, out, primary, copy, made, dst.bucket, key);
    pg_resource(out, primary, "aws_s3_bucket_replication_configuration", "state",
                PG_REF("bucket", made->bucket, "id"),
                PG_REF("role", role, "arn"),
                PG_BLOCK("rule",
                         PG_STR("id", pg_printf(out, "state-to-%s", copy->code)),
                         PG_STR("status", "Enabled"),
                         PG_BLOCK("filter"),
                         PG_BLOCK("delete_marker_replication", PG_STR("status", "Enabled")),
                         PG_BLOCK("source_selection_criteria",
                                  PG_BLOCK("sse_kms_encrypted_objects",
                                           PG_STR("status", "Enabled"))),
                         PG_BLOCK("destination",
                                  PG_REF("bucket", dst.bucket, "arn"),
                                  PG_STR("storage_class", "STANDARD"),
                                  PG_BLOCK("encryption_configuration",
                                           PG_REF("replica_kms_key_id", key, "arn")))),
                /* S3 refuses a replication configuration on an unversioned bucket. */
                PG_DEPENDS_ON(made->versioning, dst.versioning));

    /* Global table version 2019.11.21: replicas are blocks of the table. */
    pg_set(out, made->table,
           PG_BOOL("stream_enabled", true),
           PG_STR("stream_view_type", "NEW_AND_OLD_IMAGES"),
           PG_BLOCK("replica",
                    PG_STR("region_name", copy->name),
                    PG_REF("kms_key_arn", key, "arn"),
                    PG_BOOL("point_in_time_recovery", true)));

    pg_output(out, "state_replica_bucket", pg_ref(out, dst.bucket, "bucket"),
              pg_printf(out, "copy of the Terraform state in %s (break-glass backend, "
                             "docs/state.md)", copy->name));
    pg_output(out, "state_replica_key_arn", pg_ref(out, key, "arn"),
              pg_printf(out, "KMS key of the state copy in %s", copy->name));
    return 0;
}
