/* SPDX-License-Identifier: Apache-2.0 */
/* state.h - what state.c and bootstrap.c share inside the state plugin. */
#ifndef PG_STATE_H
#define PG_STATE_H

#include <paygen/paygen.h>

/* Filled by the core from the settings table (state.c). */
typedef struct state_cfg {
    long noncurrent_version_days;
    long abort_incomplete_upload_days;
    long key_deletion_window_days;
} state_cfg;

/* The literal names of the state resources. The backend of the payment stack
 * must repeat them as literals (nothing in a terraform block is an
 * expression), so both stacks take them from here. */
typedef struct state_names {
    const char *bucket;     /* S3 bucket (global namespace: with region code) */
    const char *table;      /* DynamoDB lock table                            */
    const char *key_alias;  /* "alias/..." of the state key                   */
} state_names;

/* What bootstrap.c made in the primary, for the replica. */
typedef struct state_made {
    cJSON *key, *bucket, *versioning, *table;
} state_made;

/* Writes the key, bucket and lock table into the bootstrap stack; 0 or -1. */
int state_bootstrap(const pg_ctx *ctx, pg_out *out, const pg_region *primary,
                    const state_names *names, state_made *made);

/* The KMS key of the state in region r (key and alias) and its policy:
 * use by way of S3 and DynamoDB of that region only. */
cJSON *state_key(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n);
/* A state bucket in region r (versioned, old versions expiring, SSE-KMS
 * with key, only encrypted uploads); 0, or -1 after an error. */
struct pg_aws_bucket;
int state_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const char *name,
                 const cJSON *key, struct pg_aws_bucket *made);

/* replica.c: from the migration phase on, a copy of the state in the first
 * secondary region (bucket replicated, lock table a global table replica),
 * so Terraform can run when the primary region cannot (docs/state.md). */
int state_replica(const pg_ctx *ctx, pg_out *out, const state_names *names, state_made *made);

#endif
