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
    const char *role = pg_lookup_string(ctx, r, "iam.rds_monitoring.name");
    if (!role || !pg_lookup_string(ctx, r, "iam.rds_monitoring.arn")) {
        pg_error(out, "region %s: iam.rds_monitoring.arn/.name are not published", r->name);
        return NULL;
    }
    cJSON *a = pg_resource(out, r, "aws_iam_role_policy_attachment", "rds_monitoring");
    cJSON_AddStringToObject(a, "role", role);
    cJSON_AddStringToObject(
        a, "policy_arn",
        pg_printf(out, "arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
                  pg_lookup_string(ctx, NULL, "aws.partition")));
    return a;
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

/* Network, cluster and instances of one region. */
static int region(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                  const cJSON *global, const aurora_secret *secret, cJSON **primary_instances)
{
    aurora_net net;
    if (aurora_network(ctx, out, r, cfg, &net) < 0)
        return -1;
    cJSON *attachment = monitoring_attachment(ctx, out, r);
    if (!attachment)
        return -1;
    cJSON *cluster = aurora_cluster(ctx, out, r, cfg, &net, global, secret, *primary_instances);
    if (!cluster)
        return -1;
    cJSON *instances = aurora_instances(ctx, out, r, cfg, cluster, attachment);
    if (r->primary) {
        *primary_instances = instances;
        aurora_secret_version(ctx, out, cfg, secret, cluster);
    } else {
        cJSON_Delete(instances);
    }
    publish(ctx, out, r, cluster, &net, secret);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    aurora_cfg cfg;
    if (aurora_read_cfg(ctx, out, &cfg) < 0)
        return -1;
    cJSON *global = aurora_global_cluster(ctx, out, &cfg);
    if (!global)
        return -1;
    aurora_secret secret;
    aurora_secret_create(ctx, out, &secret);

    /* The primary first: secondaries depend on its instances. */
    cJSON *primary_instances = NULL;
    int rc = region(ctx, out, pg_ctx_primary(ctx), &cfg, global, &secret, &primary_instances);
    for (size_t i = 0; rc == 0 && i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (!r->primary)
            rc = region(ctx, out, r, &cfg, global, &secret, &primary_instances);
    }
    cJSON_Delete(primary_instances);
    if (rc < 0)
        return -1;

    cJSON *port = cJSON_CreateString("5432");
    pg_publish(out, NULL, "aurora.port", port);
    cJSON_Delete(port);
    pg_output(out, "aurora_global_cluster_id", pg_ref(out, global, "id"),
              "Aurora global cluster identifier");
    return 0;
}

static const char *const provides[] = {"aurora", NULL};
static const char *const needs[] = {"kms", "vpc", "iam", "legacy", NULL};
static const pg_setting settings[] = {
    {"database.engine_version", PG_SETTING_STRING, "15.4", 0, 0,
     "Aurora PostgreSQL version, pinned; upgrades go through the global cluster"},
    {"database.instance_class", PG_SETTING_STRING, "db.r6g.large", 0, 0,
     "instance class of every cluster instance (no burstable db.t* in a global database)"},
    {"database.instance_count", PG_SETTING_INT, "2", 1, 15,
     "instances per regional cluster, spread over the region's availability zones"},
    {"database.backup_retention_days", PG_SETTING_INT, "14", 7, 35,
     "automated backup retention, the point-in-time recovery window"},
    {"database.preferred_backup_window", PG_SETTING_STRING, "03:00-04:00", 0, 0,
     "daily backup window, hh:mi-hh:mi UTC, apart from the maintenance window"},
    {"database.preferred_maintenance_window", PG_SETTING_STRING, "sun:05:00-sun:06:00", 0, 0,
     "weekly maintenance window, ddd:hh:mi-ddd:hh:mi UTC"},
    {"database.master_username", PG_SETTING_STRING, "payment_admin", 0, 0,
     "master user name; its password is generated into Secrets Manager"},
    {"database.name", PG_SETTING_STRING, "payments", 0, 0,
     "database created in the primary cluster"},
    {"database.rotation_lambda_arn", PG_SETTING_STRING, "", 0, 0,
     "ARN of a Secrets Manager rotation function for the master secret (e.g. the AWS "
     "PostgreSQL single-user rotation); empty: rotate by hand (docs/database.md)"},
    {"database.rotation_days", PG_SETTING_INT, "30", 1, 365,
     "days between automatic rotations of the master secret, when a rotation function is set"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("aurora", "1.0.0",
                 "Aurora PostgreSQL global database: encrypted, TLS-only, secret-managed credentials",
                 provides, needs, settings, contribute)
