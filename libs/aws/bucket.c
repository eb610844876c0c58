/* SPDX-License-Identifier: Apache-2.0 */
/* bucket.c - a bucket and the resources that configure it (provider 5.x
 * splits them): versioning, default encryption, public access block,
 * ownership, server access logging and Object Lock; lifecycle.c and policy.c
 * add the rest. */
#include "aws_internal.h"

static int check(pg_out *out, const pg_aws_bucket_spec *s)
{
    if (!s->region || !s->label || !s->name)
        return pg_fail(out, "pg_aws_hardened_bucket: region, label and name are required");
    if (!*s->name)
        return -1; /* pg_name() has said which limit the name broke */
    for (const char *c = s->name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.'))
            return pg_fail(out, "bucket name '%s' must be lowercase letters, digits, '-' or '.'",
                           s->name);
    if (s->object_lock.mode && !s->versioning)
        return pg_fail(out, "bucket %s: Object Lock needs versioning", s->name);
    if (s->log_bucket && !s->log_prefix)
        return pg_fail(out, "bucket %s: server access logging needs a target prefix", s->name);
    return 0;
}

static void encryption(pg_out *out, const pg_aws_bucket_spec *s, pg_aws_bucket *made)
{
    const char *key = s->kms_key_arn;
    made->encryption =
        pg_resource(out, s->region, "aws_s3_bucket_server_side_encryption_configuration", s->label,
                    PG_REF("bucket", made->bucket, "id"),
                    PG_BLOCK("rule",
                             PG_BLOCK("apply_server_side_encryption_by_default",
                                      PG_STR("sse_algorithm", key ? "aws:kms" : "AES256"),
                                      PG_IF(key, PG_STR("kms_master_key_id", key))),
                             /* One data key per bucket instead of one KMS call per object. */
                             PG_IF(key, PG_BOOL("bucket_key_enabled", true))));
}

/* Neither an ACL nor a policy can make the bucket public (PCI DSS 1.3, 1.4). */
static void public_access(pg_out *out, const pg_aws_bucket_spec *s, pg_aws_bucket *made)
{
    made->public_access_block =
        pg_resource(out, s->region, "aws_s3_bucket_public_access_block", s->label,
                    PG_REF("bucket", made->bucket, "id"),
                    PG_BOOL("block_public_acls", true),
                    PG_BOOL("block_public_policy", true),
                    PG_BOOL("ignore_public_acls", true),
                    PG_BOOL("restrict_public_buckets", true));
    made->ownership =
        pg_resource(out, s->region, "aws_s3_bucket_ownership_controls", s->label,
                    PG_REF("bucket", made->bucket, "id"),
                    PG_BLOCK("rule", PG_STR("object_ownership", "BucketOwnerEnforced")));
}

int pg_aws_hardened_bucket(pg_out *out, const pg_aws_bucket_spec *s, pg_aws_bucket *made)
{
    *made = (pg_aws_bucket){0};
    if (check(out, s) < 0)
        return -1;
    const pg_region *r = s->region;
    const bool locked = s->object_lock.mode != NULL;

    made->bucket = pg_resource(out, r, "aws_s3_bucket", s->label,
                               PG_STR("bucket", s->name),
                               PG_BOOL("force_destroy", s->force_destroy),
                               PG_IF(locked, PG_BOOL("object_lock_enabled", true)),
                               PG_MAP("tags", PG_STR("Name", s->name)),
                               PG_IF(s->protect, PG_PROTECT));
    if (s->versioning)
        made->versioning = pg_resource(out, r, "aws_s3_bucket_versioning", s->label,
                                       PG_REF("bucket", made->bucket, "id"),
                                       PG_BLOCK("versioning_configuration",
                                                PG_STR("status", "Enabled")));
    encryption(out, s, made);
    public_access(out, s, made);
    pg_aws_lifecycle(out, s, made);
    if (s->log_bucket)
        made->logging = pg_resource(out, r, "aws_s3_bucket_logging", s->label,
                                    PG_REF("bucket", made->bucket, "id"),
                                    PG_REF("target_bucket", s->log_bucket, "id"),
                                    PG_STR("target_prefix", s->log_prefix));
    if (locked)
        made->object_lock = pg_resource(out, r, "aws_s3_bucket_object_lock_configuration", s->label,
                                        PG_REF("bucket", made->bucket, "id"),
                                        PG_BLOCK("rule",
                                                 PG_BLOCK("default_retention",
                                                          PG_STR("mode", s->object_lock.mode),
                                                          PG_INT("days", s->object_lock.days))),
                                        PG_DEPENDS_ON(made->versioning));
    pg_aws_policy(out, s, made);
    return 0;
}
