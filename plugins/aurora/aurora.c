/* SPDX-License-Identifier: Apache-2.0 */
/* aurora - Aurora PostgreSQL global database across the active regions (R5).
 *
 * A global cluster; in the primary region the writer cluster: a new one
 * with the master credentials from Secrets Manager, or today's database by
 * legacy.database.move (adopt: today's Aurora cluster imported; replica: an
 * Aurora read replica of today's RDS instance, promoted from the migration
 * phase on; dms: a new one, the dms plugin moves the data). From the
 * migration phase on, a secondary cluster in every other active region that
 * replicates from it. Every region has its own subnet group, security group,
 * TLS-only parameter group and KMS key: nothing regional is shared across
 * regions (the adopted primary keeps today's subnet group and key).
 *
 * Each cluster's postgresql log goes to a group created first, with the
 * region's logs key and a year or more of retention; bind values stay out of
 * it and pgaudit writes into it (logs.c).
 *
 * Publishes per region aurora.cluster_id, .writer_endpoint, .reader_endpoint,
 * .secret_arn, .security_group_id, and globally aurora.port. */
#include "aurora.h"

#include <string.h>

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
    /* rds-db:connect names the cluster by its resource id (IAM database
     * authentication: arn:<p>:rds-db:<region>:<account>:dbuser:<id>/<user>). */
    pg_publish_string(out, r, "aurora.cluster_resource_id",
                      pg_ref(out, cluster, "cluster_resource_id"));

    pg_output(out, pg_printf(out, "aurora_writer_endpoint_%s", r->code),
              pg_ref(out, cluster, "endpoint"),
              pg_printf(out, "Aurora writer endpoint in %s", r->name));
    pg_output(out, pg_printf(out, "aurora_reader_endpoint_%s", r->code),
              pg_ref(out, cluster, "reader_endpoint"),
              pg_printf(out, "Aurora reader endpoint in %s", r->name));
}

/* Network, cluster and instances of one region; the cluster is returned.
 * The primary's instances land in primary (the secondaries wait for them). */
static cJSON *region(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                     const aurora_legacy *legacy, const cJSON *global, const aurora_secret *secret,
                     aurora_instances *primary)
{
    aurora_net net;
    memset(&net, 0, sizeof net);
    if (aurora_network(ctx, out, r, cfg, &net) < 0)
        return NULL;
    cJSON *attachment = monitoring_attachment(ctx, out, r);
    if (!attachment)
        return NULL;
    /* The log group exists before the cluster's first export. */
    bool adopted = r->primary && legacy->move == AURORA_MOVE_ADOPT;
    const char *id = aurora_cluster_identifier(out, r, legacy);
    cJSON *logs = aurora_log_group(ctx, out, r, cfg, id,
                                   adopted && !strcmp(cfg->adopted_log_group, "import"));
    if (!logs)
        return NULL;
    cJSON *cluster = aurora_cluster(ctx, out, r, cfg, legacy, &net, global, secret, primary);
    if (!cluster)
        return NULL;
    pg_set(out, cluster, PG_DEPENDS_ON(logs));
    aurora_instances mine = {.count = 0};
    aurora_instances *made = r->primary ? primary : &mine;
    if (aurora_instances_add(ctx, out, r, cfg, legacy, cluster, attachment, made) < 0)
        return NULL;
    if (r->primary &&
        aurora_rotation(ctx, out, cfg, secret, &net, legacy->port,
                        aurora_secret_version(ctx, out, cfg, secret, cluster)) < 0)
        return NULL;
    publish(ctx, out, r, cluster, &net, secret);
    return cluster;
}

/* The migration phase wraps the former replica of today's RDS instance in
 * the global database, which AWS refuses while it is still a replica. It
 * is promoted by hand at the cutover (docs/migration-runbook.md, A4), with
 * the writes frozen; a plan that finds it unpromoted stops here instead of
 * failing half-way through the apply. */
static int replica_promoted(const pg_ctx *ctx, pg_out *out, const aurora_legacy *legacy,
                            const cJSON *primary, cJSON **check)
{
    *check = NULL;
    if (legacy->move != AURORA_MOVE_REPLICA || pg_ctx_phase(ctx) != PG_PHASE_MIGRATION)
        return 0;
    const pg_region *r = pg_ctx_primary(ctx);
    /* By name, not by reference: a data source that depends on a resource
     * with changes is read only at apply, and the check belongs to the plan. */
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(primary, "cluster_identifier");
    if (!cJSON_IsString(id))
        return pg_fail(out, "the primary cluster has no literal identifier to check");
    cJSON *now = pg_data(out, r, "aws_rds_cluster", "primary_now",
                         PG_STR("cluster_identifier", id->valuestring));
    *check = pg_resource(out, NULL, "terraform_data", "replica_promoted",
                PG_MAP("lifecycle",
                       PG_BLOCK("precondition",
                                PG_STR("condition",
                                       pg_printf(out, "${%s == \"\"}",
                                                 aurora_inner(out, pg_ref(out, now,
                                                     "replication_source_identifier")))),
                                PG_STR("error_message",
                                       "The primary cluster is still a read replica of today's "
                                       "RDS instance: freeze the writes, wait for zero lag and "
                                       "promote it (aws rds promote-read-replica-db-cluster, "
                                       "docs/migration-runbook.md A4) before applying the "
                                       "migration phase."))));
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const aurora_config *cfg = pg_config(ctx);
    aurora_legacy legacy;
    if (aurora_check_settings(out, cfg) < 0 || aurora_legacy_read(ctx, out, cfg, &legacy) < 0 ||
        aurora_check_logging(out, cfg, legacy.version) < 0)
        return -1;
    /* Without today's database the global cluster comes first and the
     * primary joins it; otherwise the primary exists first (imported, or a
     * replica) and the global cluster is made from it: in every phase for an
     * adopted cluster, from migration on for a replica, once promoted. */
    cJSON *global = NULL;
    if (!aurora_wraps(&legacy) && !(global = aurora_global_cluster(ctx, out, &legacy, NULL)))
        return -1;
    aurora_secret secret;
    bool generated = legacy.move == AURORA_MOVE_NONE || legacy.move == AURORA_MOVE_DMS;
    if (aurora_secret_create(ctx, out, generated, &secret) < 0)
        return -1;

    /* The primary first: secondaries depend on its instances. */
    aurora_instances primary = {.count = 0};
    cJSON *first = region(ctx, out, pg_ctx_primary(ctx), cfg, &legacy, global, &secret, &primary);
    if (!first)
        return -1;
    cJSON *promoted = NULL;
    if (aurora_wraps(&legacy) && !aurora_is_replica(ctx, &legacy) &&
        (replica_promoted(ctx, out, &legacy, first, &promoted) < 0 ||
         !(global = aurora_global_cluster(ctx, out, &legacy, first))))
        return -1;
    if (promoted)
        pg_set(out, global, PG_DEPENDS_ON(promoted));
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (!r->primary && !region(ctx, out, r, cfg, &legacy, global, &secret, &primary))
            return -1;
    }

    pg_publish_string(out, NULL, "aurora.port", pg_printf(out, "%ld", legacy.port));
    pg_publish_string(out, NULL, "aurora.app_username", cfg->app_username);
    if (global) {
        /* The writer endpoint of the global database follows the writer
         * across a switchover or failover: applications write there. */
        pg_publish_string(out, NULL, "aurora.global_cluster_id", pg_ref(out, global, "id"));
        pg_publish_string(out, NULL, "aurora.global_cluster_arn", pg_ref(out, global, "arn"));
        pg_publish_string(out, NULL, "aurora.global_writer_endpoint",
                          pg_ref(out, global, "endpoint"));
        pg_output(out, "aurora_global_cluster_id", pg_ref(out, global, "id"),
                  "Aurora global cluster identifier");
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"aurora.cluster_id", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.writer_endpoint", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.reader_endpoint", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.secret_arn", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.security_group_id", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.port", PG_GLOBAL, PG_KIND_STRING},
    {"aurora.app_username", PG_GLOBAL, PG_KIND_STRING},
    {"aurora.cluster_resource_id", PG_REGIONAL, PG_KIND_STRING},
    {"aurora.global_cluster_id", PG_GLOBAL, PG_KIND_STRING},
    {"aurora.global_cluster_arn", PG_GLOBAL, PG_KIND_STRING},
    {"aurora.global_writer_endpoint", PG_GLOBAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"kms", "vpc", "iam", "legacy", "transit", NULL};

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
    PG_SETTING_STRING("database.app_username", aurora_config, app_username, "payment_app",
                      "the application's database user, signing in with IAM database "
                      "authentication (rds_iam), never the master user (docs/database.md)"),
    PG_SETTING_STRING("database.rotation_lambda_arn", aurora_config, rotation_lambda, "",
                      "ARN of a Secrets Manager rotation function for the master secret; empty: "
                      "the stack deploys AWS's PostgreSQL single-user rotation function "
                      "(docs/database.md)"),
    /* The version AWS CDK 2 pins for the aws partition (aws-cdk-lib
     * aws-secretsmanager/lib/secret-rotation.ts, POSTGRES_ROTATION_SINGLE_USER). */
    PG_SETTING_STRING("database.rotation_app_version", aurora_config, rotation_app_version,
                      "1.1.671",
                      "semantic version of AWS's rotation function application the stack "
                      "deploys (Serverless Application Repository): pinned, so a new version is "
                      "a reviewed profile change, not whatever is latest on the day of apply"),
    PG_SETTING_BOOL("database.write_forwarding", aurora_config, write_forwarding, "false",
                    "secondary clusters forward writes to the writer (off: applications write to "
                    "aurora.global_writer_endpoint; docs/database.md lists what forwarded SQL "
                    "cannot do)"),
    PG_SETTING_INT("database.rotation_days", aurora_config, rotation_days, "30", 1, 365,
                   "days between automatic rotations of the master secret, when a rotation "
                   "function is set"),
    /* The CloudWatch Logs retention periods of a year or more. */
    PG_SETTING_CHOICE("database.log_retention_days", aurora_config, log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "days each cluster's postgresql log group keeps events (PCI DSS 10.5.1: at "
                      "least a year)"),
    PG_SETTING_INT("database.slow_statement_ms", aurora_config, slow_statement_ms, "1000", -1,
                   3600000,
                   "statements running longer are logged with their text, never their bind "
                   "values (log_min_duration_statement); -1 logs none"),
    PG_SETTING_CHOICE("database.adopted_log_group", aurora_config, adopted_log_group, "import",
                      "import|create",
                      "legacy.database.move adopt: import the adopted cluster's "
                      "/aws/rds/cluster/<id>/postgresql group (RDS made it when the export was "
                      "turned on), or create it (it does not exist)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("aurora", "1.0.0", "Apache-2.0",
                 "Aurora PostgreSQL global database: encrypted, TLS-only, secret-managed "
                 "credentials",
                 publishes, needs, settings, sizeof(aurora_config), contribute)
