/* SPDX-License-Identifier: Apache-2.0 */
/* policy.c - the bucket policy: the caller's statements, then TLS only
 * (PCI DSS 4.2.1: no cardholder data over plain HTTP, whoever asks). */
#include "aws_internal.h"

void pg_aws_deny_insecure_transport(pg_out *out, cJSON *document, const cJSON *bucket)
{
    const char *arn = pg_ref(out, bucket, "arn");
    pg_block(out, document, "statement",
             PG_STR("sid", "DenyInsecureTransport"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:*"),
             PG_STRS("resources", arn, pg_printf(out, "%s/*", arn)),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("Bool", "aws:SecureTransport", "false"));
}

void pg_aws_policy(pg_out *out, const pg_aws_bucket_spec *s, pg_aws_bucket *made)
{
    const char *label = s->policy_label ? s->policy_label : pg_printf(out, "bucket_%s", s->label);
    made->policy_document = pg_data(out, s->region, "aws_iam_policy_document", label);
    if (s->statements)
        s->statements(out, made->policy_document, made, s->statements_arg);
    pg_aws_deny_insecure_transport(out, made->policy_document, made->bucket);

    made->policy = pg_resource(out, s->region, "aws_s3_bucket_policy", s->label,
                               PG_REF("bucket", made->bucket, "id"),
                               PG_REF("policy", made->policy_document, "json"),
                               /* S3 rejects a policy put while the public access block changes. */
                               PG_DEPENDS_ON(made->public_access_block));
}
