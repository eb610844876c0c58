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

/* Writes the key, bucket and lock table into the bootstrap stack; 0 or -1. */
int state_bootstrap(const pg_ctx *ctx, pg_out *out, const pg_region *primary,
                    const state_names *names);

#endif
