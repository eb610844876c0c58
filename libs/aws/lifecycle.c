/* SPDX-License-Identifier: Apache-2.0 */
/* lifecycle.c - aws_s3_bucket_lifecycle_configuration: transitions,
 * expiration of current and superseded versions, and the clean-up of
 * unfinished multipart uploads (which S3 bills and never shows). */
#include "aws_internal.h"

static void rule(pg_out *out, cJSON *lc, const pg_aws_lifecycle_rule *lr)
{
    cJSON *rule = pg_block(out, lc, "rule",
                           PG_STR("id", lr->id),
                           PG_STR("status", "Enabled"),
                           PG_BLOCK("filter", PG_IF(lr->prefix, PG_STR("prefix", lr->prefix))),
                           PG_IF(lr->expiration_days > 0,
                                 PG_BLOCK("expiration", PG_INT("days", lr->expiration_days))),
                           PG_IF(lr->noncurrent_days > 0,
                                 PG_BLOCK("noncurrent_version_expiration",
                                          PG_INT("noncurrent_days", lr->noncurrent_days))),
                           PG_IF(lr->abort_multipart_days > 0,
                                 PG_BLOCK("abort_incomplete_multipart_upload",
                                          PG_INT("days_after_initiation", lr->abort_multipart_days))));
    for (size_t i = 0; i < lr->transition_count; i++)
        pg_block(out, rule, "transition",
                 PG_INT("days", lr->transitions[i].days),
                 PG_STR("storage_class", lr->transitions[i].storage_class));
}

void pg_aws_lifecycle(pg_out *out, const pg_aws_bucket_spec *s, pg_aws_bucket *made)
{
    if (!s->lifecycle_count)
        return;
    made->lifecycle = pg_resource(out, s->region, "aws_s3_bucket_lifecycle_configuration", s->label,
                                  PG_REF("bucket", made->bucket, "id"));
    for (size_t i = 0; i < s->lifecycle_count; i++)
        rule(out, made->lifecycle, &s->lifecycle[i]);
    /* Rules on a versioned bucket need versioning in place first. */
    if (made->versioning)
        pg_set(out, made->lifecycle, PG_DEPENDS_ON(made->versioning));
}
