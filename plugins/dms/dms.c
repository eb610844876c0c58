/* SPDX-License-Identifier: Apache-2.0 */
/* dms - moves today's RDS for PostgreSQL database into the new Aurora
 * primary with AWS DMS (full load, then change data capture), where an
 * Aurora read replica of the instance is not possible. See docs/dms.md.
 *
 * Only when legacy.database.move is "dms", in the legacy and migration
 * phases, in the primary region: a Multi-AZ replication instance on the
 * data subnets with a security group of its own, the source endpoint
 * (today's instance) and the target endpoint (the Aurora writer), both
 * reading their credentials from Secrets Manager through a role of this
 * stack, and a full-load-and-cdc task with validation and CloudWatch
 * logging that the operator starts and stops per the runbook. The Aurora
 * side is built as for a new platform (aurora). In production the move is
 * over: everything is removed but the task log group, kept for its
 * retention as the record of the move.
 *
 * Publishes nothing: the move feeds no other part of the platform. */
#include "dms.h"

#include <string.h>

/* What the move reads; NULL members only after an error was reported. */
static int inputs(const pg_ctx *ctx, pg_out *out, dms_inputs *in)
{
    const pg_region *r = pg_ctx_primary(ctx);
    *in = (dms_inputs){
        .r = r,
        .account = pg_need(ctx, NULL, "aws.account_id"),
        .source_secret_arn = pg_lookup(ctx, NULL, "legacy.database.secret_arn"),
        .source_port = pg_need(ctx, NULL, "legacy.database.port"),
        .legacy_cidr = pg_lookup(ctx, r, "legacy.cidr"),
        .vpc_id = pg_need(ctx, r, "vpc.id"),
        .vpc_cidr = pg_need(ctx, r, "vpc.cidr"),
        .subnet_ids = pg_need_list(ctx, r, "vpc.data_subnet_ids"),
        .aurora_secret_arn = pg_need(ctx, r, "aurora.secret_arn"),
        .aurora_sg = pg_need(ctx, r, "aurora.security_group_id"),
        .aurora_port = pg_need(ctx, NULL, "aurora.port"),
        .database_key = pg_need(ctx, r, "kms.database.arn"),
        .logs_key = pg_need(ctx, r, "kms.logs.arn"),
    };
    int rc = 0;
    /* The legacy plugin refuses these first; the move cannot run without
     * them whoever checks. */
    if (!in->source_secret_arn)
        rc = pg_fail_at(out, "legacy.database.secret_arn",
                        "is empty; legacy.database.move = dms reads today's credentials (host, "
                        "port, username, password) from that secret");
    if (!in->legacy_cidr)
        rc = pg_fail_at(out, "legacy.vpc_id",
                        "is empty; legacy.database.move = dms reaches today's database across the "
                        "Transit Gateway, which needs the legacy VPC and its cidr");
    if (!in->account || !in->source_port || !in->vpc_id || !in->vpc_cidr ||
        !in->subnet_ids || !in->aurora_secret_arn || !in->aurora_sg || !in->aurora_port ||
        !in->database_key || !in->logs_key)
        rc = -1;
    return rc;
}

/* Production: the move is over, and only its task logs stay, for their
 * retention: they are the record of how the data moved. */
static int keep_logs(const pg_ctx *ctx, pg_out *out, const dms_config *cfg)
{
    const pg_region *r = pg_ctx_primary(ctx);
    dms_inputs in = {.r = r, .logs_key = pg_need(ctx, r, "kms.logs.arn")};
    if (!in.logs_key)
        return -1;
    dms_access access;
    dms_log_group(out, cfg, &in, pg_name(out, r, "dms", 63), &access);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const char *move = pg_lookup(ctx, NULL, "legacy.database.move");
    if (!move || strcmp(move, "dms"))
        return 0;
    const char *kind = pg_lookup(ctx, NULL, "legacy.database.kind");
    if (!kind || strcmp(kind, "rds-postgresql"))
        return pg_fail_at(out, "legacy.database.move",
                          "dms moves an RDS for PostgreSQL instance (legacy.database.kind: "
                          "rds-postgresql), not '%s'",
                          kind ? kind : "none");

    const dms_config *cfg = pg_config(ctx);
    if (pg_ctx_phase(ctx) == PG_PHASE_PRODUCTION)
        return keep_logs(ctx, out, cfg);
    dms_inputs in;
    if (inputs(ctx, out, &in) < 0 || dms_check_settings(out, cfg, &in) < 0)
        return -1;

    const char *instance_id = pg_name(out, in.r, "dms", 63);
    dms_access access;
    dms_net net;
    dms_account_roles(out, &access);
    dms_secrets_role(ctx, out, &in, &access);
    dms_log_group(out, cfg, &in, instance_id, &access);
    dms_network(out, &in, &access, &net);
    dms_replication(out, cfg, &in, &net, &access, instance_id);
    return 0;
}

static const char *const needs[] = {"legacy", "vpc", "kms", "aurora", NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("dms.instance_class", dms_config, instance_class, "dms.r6i.large",
                      "replication instance class (memory-optimised: DMS buffers changes in "
                      "memory)"),
    PG_SETTING_INT("dms.allocated_storage", dms_config, allocated_storage, "100", 5, 6144,
                   "GiB of replication instance storage for cached changes and task logs"),
    PG_SETTING_STRING("dms.engine_version", dms_config, engine_version, "",
                      "DMS engine version, e.g. 3.5.3 (3.4.7 or later); empty: the default"),
    PG_SETTING_STRING("dms.preferred_maintenance_window", dms_config, maintenance_window,
                      "sun:07:00-sun:08:00",
                      "weekly maintenance window of the replication instance, ddd:hh:mi-ddd:hh:mi "
                      "UTC, apart from the database's"),
    PG_SETTING_LIST("dms.schemas", dms_config, schemas, "payment",
                    "schemas of today's database whose tables move (every table of each)"),
    PG_SETTING_STRING("dms.source_database", dms_config, source_database, "payments",
                      "database on today's instance that DMS reads"),
    PG_SETTING_STRING("dms.target_database", dms_config, target_database, "payments",
                      "database on the Aurora writer that DMS writes (database.name)"),
    PG_SETTING_STRING("dms.ca_certificate_arn", dms_config, ca_certificate_arn, "",
                      "DMS certificate of the RDS CA bundle (aws dms import-certificate): "
                      "ssl_mode verify-full; empty: require (encrypted, server not verified)"),
    PG_SETTING_CHOICE("dms.target_table_prep_mode", dms_config, target_table_prep_mode,
                      "DO_NOTHING", "DO_NOTHING|TRUNCATE_BEFORE_LOAD",
                      "what the full load does to a target table first (docs/dms.md)"),
    PG_SETTING_INT("dms.lob_max_kb", dms_config, lob_max_kb, "1024", 1, 102400,
                   "largest text, jsonb or bytea value (KiB) moved; a longer one fails the task"),
    /* The retention values CloudWatch Logs accepts from a year on. */
    PG_SETTING_CHOICE("dms.log_retention_days", dms_config, log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "retention of the DMS task log group (a CloudWatch Logs value, at least a "
                      "year)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("dms", "1.0.0", "Apache-2.0",
                 "AWS DMS move of an RDS for PostgreSQL database into the Aurora primary "
                 "(full load and change data capture)",
                 NULL, needs, settings, sizeof(dms_config), contribute)
