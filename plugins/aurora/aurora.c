/* SPDX-License-Identifier: Apache-2.0 */
/* aurora - Aurora PostgreSQL global database across the active regions (R5).
 *
 * A global cluster; in the primary region the writer cluster with the master
 * credentials from Secrets Manager; from the migration phase on, a secondary
 * cluster in every other active region that replicates from it. Every region
 * has its own subnet group, security group, TLS-only parameter group and KMS
 * key: nothing regional is shared across regions.
 *
 * Publishes per region aurora.cluster_id, .writer_endpoint, .reader_endpoint,
 * .secret_arn, .security_group_id, and globally aurora.port. */
#include "aurora.h"

static cJSON *monitoring_attachment(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    const char *role = pg_need(ctx, r, "iam.rds_monitoring.name");
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    if (!role || !partition || !pg_need(ctx, r, "iam.rds_monitoring.arn"))
        return NULL;
    return pg_resource(out, r, "aws_iam_role_policy_attachment", "rds_monitoring",
                       PG_STR("role", role),
                       PG_STR("policy_arn",
                              pg_printf(out,
                                        "arn:%s:iam::aws:policy/service-role/"
                                        "AmazonRDSEnhancedMonitoringRole",
                                        partition)));
}

static void publish(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *cluster,
                    const aurora_net *net, const aurora_secret *secret)
{
    pg_publish_string(out, r, "aurora.cluster_id", pg_ref(out, cluster, "cluster_identifier"));
    pg_publish_string(out, r, "aurora.writer_endpoint", pg_ref(out, cluster, "endpoint"));
    pg_publish_string(out, r, "aurora.reader_endpoint", pg_ref(out, cluster, "reader_endpoint"));
    pg_publish_string(out, r, "aurora.secret_arn", aurora_secret_arn(ctx, out, secret, r));
    pg_publish_string(out, r, "aurora.security_group_id", pg_ref(out, net->security_group, "id"));

    pg_output(out, pg_printf(out, "aurora_writer_endpoint_%s", r->code),
              pg_ref(out, cluster, "endpoint"),
              pg_printf(out, "Aurora writer endpoint in %s", r->name));
    pg_output(out, pg_printf(out, "aurora_reader_endpoint_%s", r->code),
              pg_ref(out, cluster, "reader_endpoint"),
              pg_printf(out, "Aurora reader endpoint in %s", r->name));
}

/* Network, cluster and instances of one region. The primary's instances
 * land in primary (the secondaries wait for them). */
static int region(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                  const cJSON *global, const aurora_secret *secret, aurora_instances *primary)
{
    aurora_net net;
    if (aurora_network(ctx, out, r, cfg, &net) < 0)
        return -1;
    cJSON *attachment = monitoring_attachment(ctx, out, r);
    if (!attachment)
        return -1;
    cJSON *cluster = aurora_cluster(ctx, out, r, cfg, &net, global, secret, primary);
    if (!cluster)
        return -1;
    aurora_instances mine = {.count = 0};
    aurora_instances *made = r->primary ? primary : &mine;
    if (aurora_instances_add(ctx, out, r, cfg, cluster, attachment, made) < 0)
        return -1;
    if (r->primary)
        aurora_secret_version(ctx, out, cfg, secret, cluster);
    publish(ctx, out, r, cluster, &net, secret);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const aurora_config *cfg = pg_config(ctx);
    if (aurora_check_settings(out, cfg) < 0)
        return -1;
    cJSON *global = aurora_global_cluster(ctx, out, cfg);
    if (!global)
        return -1;
    aurora_secret secret;
    if (aurora_secret_create(ctx, out, &secret) < 0)
        return -1;

    /* The primary first: secondaries depend on its instances. */
    aurora_instances primary = {.count = 0};
    int rc = region(ctx, out, pg_ctx_primary(ctx), cfg, global, &secret, &primary);
    for (size_t i = 0; rc == 0 && i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (!r->primary)
            rc = region(ctx, out, r, cfg, global, &secret, &primary);
    }
    if (rc < 0)
        return -1;

    pg_publish_string(out, NULL, "aurora.port", "5432");
    pg_output(out, "aurora_global_cluster_id", pg_ref(out, global, "id"),
              "Aurora global cluster identifier");
    return 0;
}

static const pg_publication publishes[] = {
    {"aurora.cluster_id", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.writer_endpoint", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.reader_endpoint", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.secret_arn", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.security_group_id", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.port", PG_GLOBAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"kms", "vpc", "iam", "legacy", NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("database.engine_version", aurora_config, engine_version, "15.4",
                      "Aurora PostgreSQL version, pinned; upgrades go through the global cluster"),
    PG_SETTING_STRING("database.instance_class", aurora_config, instance_class, "db.r6g.large",
                      "instance class of every cluster instance (no burstable db.t* in a global "
                      "database)"),
    PG_SETTING_INT("database.instance_count", aurora_config, instance_count, "2", 1,
                   AURORA_MAX_INSTANCES,
                   "instances per regional cluster, spread over the region's availability zones"),
    PG_SETTING_INT("database.backup_retention_days", aurora_config, backup_retention, "14", 7, 35,
                   "automated backup retention, the point-in-time recovery window"),
    PG_SETTING_STRING("database.preferred_backup_window", aurora_config, backup_window,
                      "03:00-04:00",
                      "daily backup window, hh:mi-hh:mi UTC, apart from the maintenance window"),
    PG_SETTING_STRING("database.preferred_maintenance_window", aurora_config, maintenance_window,
                      "sun:05:00-sun:06:00", "weekly maintenance window, ddd:hh:mi-ddd:hh:mi UTC"),
    PG_SETTING_STRING("database.master_username", aurora_config, master_username, "payment_admin",
                      "master user name; its password is generated into Secrets Manager"),
    PG_SETTING_STRING("database.name", aurora_config, database_name, "payments",
                      "database created in the primary cluster"),
    PG_SETTING_STRING("database.rotation_lambda_arn", aurora_config, rotation_lambda, "",
                      "ARN of a Secrets Manager rotation function for the master secret (e.g. the "
                      "AWS PostgreSQL single-user rotation); empty: rotate by hand "
                      "(docs/database.md)"),
    PG_SETTING_INT("database.rotation_days", aurora_config, rotation_days, "30", 1, 365,
                   "days between automatic rotations of the master secret, when a rotation "
                   "function is set"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("aurora", "1.0.0", "Apache-2.0",
                 "Aurora PostgreSQL global database: encrypted, TLS-only, secret-managed "
                 "credentials",
                 publishes, needs, settings, sizeof(aurora_config), contribute)
