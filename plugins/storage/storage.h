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

/* Who writes a bucket, and so where its objects are copied to. */
typedef enum replication {
    REPLICATE_NONE,
    REPLICATE_FROM_PRIMARY, /* written in the primary only (CloudTrail): to every secondary */
    REPLICATE_EVERY_REGION, /* written wherever the service runs: each region to every other */
} replication;

typedef struct bucket_spec {
    const char *label;       /* address label and reference name: "audit_trail" */
    const char *kind;        /* name part: "audit-trail"                         */
    bool kms;                /* SSE-KMS with the storage key (else SSE-S3)       */
    bool locked;             /* Object Lock                                      */
    bool locked_at_creation; /* object_lock_enabled on the bucket itself         */
    replication replication; /* from the migration phase on                      */
} bucket_spec;

extern const bucket_spec storage_buckets[BUCKET_KINDS];

/* Filled by the core from the settings table (storage.c). */
typedef struct storage_cfg {
    long transaction_log_days, audit_days, access_log_days;
    long ia_days, glacier_days, noncurrent_days, lock_days;
    const char *replica_storage_class;
} storage_cfg;

/* Whether buckets of this spec in a region copy their objects out of it;
 * source is the region's index, the primary being 0. */
bool storage_replicates_from(const bucket_spec *spec, size_t source);

/* The account's trail (plugin audit, which needs storage and so cannot be
 * read here): the trail the audit-trail bucket of the primary admits. */
const char *storage_trail_arn(const pg_ctx *ctx, pg_out *out);

/* What was made for one bucket of one region. */
typedef struct bucket {
    const bucket_spec *spec;
    const pg_region *region;
    pg_aws_bucket made;  /* the bucket and everything that hardens it */
    const char *key_arn; /* the region's storage key; NULL for SSE-S3 */
    const char *key_id;  /* the same key by its id */
} bucket;

/* bucket.c: a bucket, its settings and its TLS-only policy; logs_target is
 * NULL for the access-logs bucket. */
int storage_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                   const bucket_spec *spec, const bucket *logs_target, bucket *b);

/* policy.c: the statements after TLS only in the bucket policy of b; for the
 * access-logs bucket, logged are the buckets whose server access logs it
 * receives. The primary's audit-trail bucket admits the account's trail. */
void storage_policy(const pg_ctx *ctx, pg_out *out, bucket *b, const bucket *logged,
                    size_t logged_count);

/* replication.c: out of every region that writes a replicated bucket, into
 * the same bucket of every other region, with one policy per source region. */
int storage_replication(const pg_ctx *ctx, pg_out *out, const storage_cfg *cfg,
                        bucket regions[][BUCKET_KINDS], size_t region_count);

#endif
