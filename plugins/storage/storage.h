/* SPDX-License-Identifier: Apache-2.0 */
/* storage.h - shared between the files of the storage plugin. */
#ifndef STORAGE_H
#define STORAGE_H

#include <paygen/aws.h>
#include <paygen/paygen.h>
#include <stdbool.h>

/* The buckets of one region. */
typedef enum bucket_kind {
    BUCKET_TRANSACTION_LOGS,
    BUCKET_AUDIT_TRAIL,
    BUCKET_ACCESS_LOGS,
    BUCKET_KINDS
} bucket_kind;

typedef struct bucket_spec {
    const char *label; /* address label and reference name: "audit_trail" */
    const char *kind;  /* name part: "audit-trail"                         */
    bool kms;          /* SSE-KMS with the storage key (else SSE-S3)       */
    bool locked;       /* Object Lock                                      */
    bool replicated;   /* copied to every secondary region from migration  */
} bucket_spec;

extern const bucket_spec storage_buckets[BUCKET_KINDS];

/* Filled by the core from the settings table (storage.c). */
typedef struct storage_cfg {
    long transaction_log_days, audit_days, access_log_days;
    long ia_days, glacier_days, noncurrent_days, lock_days;
    const char *replica_storage_class;
} storage_cfg;

/* What was made for one bucket of one region. */
typedef struct bucket {
    const bucket_spec *spec;
    const pg_region *region;
    pg_aws_bucket made;  /* the bucket and everything that hardens it */
    const char *key_arn; /* the region's storage key; NULL for SSE-S3 */
} bucket;

/* bucket.c: a bucket, its settings and its TLS-only policy; logs_target is
 * NULL for the access-logs bucket. */
int storage_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                   const bucket_spec *spec, const bucket *logs_target, bucket *b);

/* policy.c: the statements after TLS only in the bucket policy of b; for the
 * access-logs bucket, logged are the buckets whose server access logs it
 * receives. */
void storage_policy(const pg_ctx *ctx, pg_out *out, bucket *b, const bucket *logged,
                    size_t logged_count);

/* replication.c: primary -> every secondary, for the replicated buckets. */
int storage_replication(const pg_ctx *ctx, pg_out *out, const storage_cfg *cfg,
                        bucket regions[][BUCKET_KINDS], size_t region_count);

#endif
