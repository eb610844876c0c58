/* SPDX-License-Identifier: Apache-2.0 */
/* state - where Terraform keeps the platform's state (R12).
 *
 * The bucket and the lock table must exist before any backend can use them,
 * so they live in a stack of their own, `bootstrap`, applied first on local
 * state (bootstrap.c). The `payment` stack then gets an S3 backend that
 * points at them. Nothing inside a terraform block may be an expression, so
 * the backend repeats the bootstrap's names as literals: both come from one
 * computation here, and a change of environment or suffix changes both.
 *
 * Terraform 1.5 does not know the backend's `use_lockfile`; locking uses the
 * DynamoDB table (see docs/state.md). */
#include "state.h"

static void payment_backend(const pg_ctx *ctx, pg_out *out, const pg_region *primary,
                            const state_names *names)
{
    pg_use_stack(out, PG_STACK_PAYMENT);
    pg_backend(out, "s3",
               PG_STR("bucket", names->bucket),
               PG_STR("key", pg_printf(out, "%s/terraform.tfstate", pg_ctx_project(ctx))),
               PG_STR("region", primary->name),
               PG_BOOL("encrypt", true),
               PG_STR("kms_key_id", names->key_alias),
               PG_STR("dynamodb_table", names->table),
               /* One state per workspace (= environment): env/<workspace>/payment/... */
               PG_STR("workspace_key_prefix", "env"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    state_names names = {
        /* Bucket names are global: the region code keeps them unique. */
        .bucket = pg_name(out, primary, "tfstate", 63),
        /* Lock tables and key aliases are regional namespaces. */
        .table = pg_name(out, NULL, "tflock", 255),
        .key_alias = pg_printf(out, "alias/%s", pg_name(out, NULL, "tfstate", 250)),
    };
    if (!*names.bucket || !*names.table)
        return -1;
    pg_use_stack(out, PG_STACK_BOOTSTRAP);
    state_made made;
    if (state_bootstrap(ctx, out, primary, &names, &made) < 0 ||
        state_replica(ctx, out, &names, &made) < 0)
        return -1;
    payment_backend(ctx, out, primary, &names);
    return 0;
}

static const pg_setting settings[] = {
    PG_SETTING_INT("state.noncurrent_version_days", state_cfg, noncurrent_version_days, "90", 1,
                   3650, "days an overwritten state version is kept before it expires"),
    PG_SETTING_INT("state.abort_incomplete_upload_days", state_cfg, abort_incomplete_upload_days,
                   "7", 1, 30,
                   "days after which an unfinished multipart upload to the state bucket is removed"),
    PG_SETTING_INT("state.key_deletion_window_days", state_cfg, key_deletion_window_days, "30", 7,
                   30, "waiting period before a scheduled deletion of the state key takes effect"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("state", "1.0.0", "Apache-2.0",
                 "Terraform state: bootstrap bucket, lock table and key; S3 backend of the payment stack",
                 NULL, NULL, settings, sizeof(state_cfg), contribute)
