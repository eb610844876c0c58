/*
 * paygen/aws.h - hardened AWS building blocks shared by plugins.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * A small static library beside the core (as GStreamer's gst-libs sit beside
 * its core): the core stays free of AWS knowledge, and every plugin that
 * writes an S3 bucket gets the same hardening from one place instead of a
 * copy of it. Link it with target_link_libraries(plugin_x PRIVATE paygen_aws);
 * its symbols stay hidden inside the plugin.
 *
 *     pg_aws_bucket made;
 *     if (pg_aws_hardened_bucket(out, &(pg_aws_bucket_spec){
 *             .region = r, .label = "audit_trail", .name = name,
 *             .kms_key_arn = key, .force_destroy = !pg_ctx_protected(ctx),
 *             .protect = true, .versioning = true,
 *             .lifecycle = &rule, .lifecycle_count = 1}, &made) < 0)
 *         return -1;
 *     pg_block(out, made.policy_document, "statement", ...);  (after TLS-only)
 *
 * What every bucket gets (PCI DSS v4.0):
 *  - default encryption: SSE-KMS with a bucket key, or SSE-S3 (AES256) where
 *    a writer cannot use KMS (3.5.1);
 *  - the public access block with all four switches on and ownership
 *    BucketOwnerEnforced, so no ACL and no policy can make it public (1.3, 1.4);
 *  - a bucket policy that denies every request without TLS (4.2.1).
 * What the spec chooses: versioning, Object Lock, lifecycle rules, server
 * access logging, force_destroy and prevent_destroy.
 */
#ifndef PAYGEN_AWS_H
#define PAYGEN_AWS_H

#include <paygen/paygen.h>

#ifdef __cplusplus
extern "C" {
#endif

/* transition { days, storage_class } of a lifecycle rule. */
typedef struct pg_aws_transition {
    long days;
    const char *storage_class; /* "STANDARD_IA", "GLACIER", ... */
} pg_aws_transition;

/* One rule of aws_s3_bucket_lifecycle_configuration, status Enabled. */
typedef struct pg_aws_lifecycle_rule {
    const char *id;
    const char *prefix;                   /* filter { prefix }; NULL: filter {} (every object) */
    const pg_aws_transition *transitions; /* in order of days                                  */
    size_t transition_count;
    long expiration_days;                 /* 0: current objects never expire                   */
    long noncurrent_days;                 /* 0: superseded versions are kept                    */
    long abort_multipart_days;            /* 0: unfinished multipart uploads stay               */
} pg_aws_lifecycle_rule;

/* aws_s3_bucket_object_lock_configuration default retention. */
typedef struct pg_aws_object_lock {
    const char *mode; /* "COMPLIANCE" or "GOVERNANCE"; NULL: no Object Lock */
    long days;
} pg_aws_object_lock;

typedef struct pg_aws_bucket pg_aws_bucket;

/* Adds statements to the bucket policy document before the TLS-only one. */
typedef void (*pg_aws_statements_fn)(pg_out *out, cJSON *document, const pg_aws_bucket *made,
                                     void *arg);

typedef struct pg_aws_bucket_spec {
    const pg_region *region;
    const char *label;       /* address label of every block: "state" -> aws_s3_bucket.state_use1 */
    const char *name;        /* bucket name (lowercase, <= 63), also tags.Name                      */
    const char *kms_key_arn; /* SSE-KMS with this key and a bucket key; NULL: SSE-S3 (AES256)       */
    bool force_destroy;      /* destroyable with its objects (rehearsals)                           */
    bool protect;            /* lifecycle.prevent_destroy on the bucket when the profile protects   */
    bool versioning;         /* aws_s3_bucket_versioning Enabled (Object Lock needs it)             */
    pg_aws_object_lock object_lock;
    const pg_aws_lifecycle_rule *lifecycle; /* no lifecycle configuration when count is 0 */
    size_t lifecycle_count;
    const cJSON *log_bucket; /* aws_s3_bucket receiving the server access logs; NULL: none */
    const char *log_prefix;  /* target_prefix there: "s3/audit-trail/"                      */
    const char *policy_label;          /* data label of the policy document; NULL: "bucket_<label>" */
    pg_aws_statements_fn statements;   /* statements ahead of the TLS-only one; may be NULL         */
    void *statements_arg;
} pg_aws_bucket_spec;

/* The blocks made; NULL for the optional ones not asked for. */
struct pg_aws_bucket {
    cJSON *bucket;              /* aws_s3_bucket: tags may be added with pg_set(PG_MAP("tags", ..)) */
    cJSON *versioning;          /* aws_s3_bucket_versioning                                       */
    cJSON *encryption;          /* aws_s3_bucket_server_side_encryption_configuration             */
    cJSON *public_access_block; /* aws_s3_bucket_public_access_block                              */
    cJSON *ownership;           /* aws_s3_bucket_ownership_controls                               */
    cJSON *lifecycle;           /* aws_s3_bucket_lifecycle_configuration                          */
    cJSON *logging;             /* aws_s3_bucket_logging                                          */
    cJSON *object_lock;         /* aws_s3_bucket_object_lock_configuration                        */
    cJSON *policy_document;     /* data aws_iam_policy_document: statements appended with pg_block
                                   come after the TLS-only one                                     */
    cJSON *policy;              /* aws_s3_bucket_policy                                           */
};

/* Writes the bucket of spec and everything that hardens it into *made.
 * Returns 0, or -1 after reporting (an invalid name, Object Lock without
 * versioning, logging without a prefix). */
int pg_aws_hardened_bucket(pg_out *out, const pg_aws_bucket_spec *spec, pg_aws_bucket *made);

/* The TLS-only statement on bucket and its objects (sid DenyInsecureTransport). */
void pg_aws_deny_insecure_transport(pg_out *out, cJSON *document, const cJSON *bucket);

/* The KeyAdministration statement of a key policy: root (arn:...:iam::<account>:root)
 * administers the key with the listed actions, never kms:*; use of the key is
 * the caller's statements. */
void pg_aws_key_administration(pg_out *out, cJSON *document, const char *root);

/* A Lambda function run every `minutes` (1-60) by an EventBridge rule. */
typedef struct pg_aws_schedule {
    const pg_region *region;
    const char *label;            /* rule and target: aws_cloudwatch_event_rule.<label>_<code> */
    const char *permission_label; /* aws_lambda_permission.<permission_label>_<code>        */
    const char *name;             /* the rule's name                                        */
    const char *description;
    const char *target_id;
    long minutes;
    const cJSON *function;        /* the aws_lambda_function                                */
} pg_aws_schedule;

/* The rule, its target, and the permission for exactly that rule to invoke
 * the function; returns the rule. */
cJSON *pg_aws_lambda_schedule(pg_out *out, const pg_aws_schedule *schedule);

#ifdef __cplusplus
}
#endif
#endif /* PAYGEN_AWS_H */
