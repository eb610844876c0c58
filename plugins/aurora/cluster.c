/* SPDX-License-Identifier: Apache-2.0 */
/* cluster.c - the global cluster, one member cluster per active region and
 * their instances (R5). The primary region's cluster is created with the
 * master credentials, or is today's cluster (adopt.c), or an Aurora read
 * replica of today's RDS instance until it is promoted; every other region's
 * cluster is a secondary that replicates from it and carries no credentials
 * of its own. */
#include "aurora.h"

#define ENGINE "aurora-postgresql"

const char *aurora_cluster_identifier(pg_out *out, const pg_region *r,
                                      const aurora_legacy *legacy)
{
    if (r->primary && legacy->move == AURORA_MOVE_ADOPT)
        return legacy->identifier;
    const char *id = pg_name(out, r, "db-cluster", 63);
    if (*id && aurora_check_identifier(out, id, "cluster") < 0)
        return "";
    return id;
}

cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_legacy *legacy,
                             const cJSON *source)
{
    const char *id = pg_name(out, NULL, "db-global", 63);
    if (*id && aurora_check_identifier(out, id, "global cluster") < 0)
        return NULL;
    if (!source)
        return pg_resource(out, NULL, "aws_rds_global_cluster", "main",
                           PG_STR("global_cluster_identifier", id),
                           PG_STR("engine", ENGINE),
                           PG_STR("engine_version", legacy->version),
                           PG_BOOL("storage_encrypted", true),
                           PG_BOOL("deletion_protection", pg_ctx_protected(ctx)),
                           PG_NAME("db-global"),
                           PG_PROTECT);
    /* Wrapping an existing cluster: CreateGlobalCluster takes engine,
     * version and encryption from SourceDBClusterIdentifier and must not be
     * given them (the provider: source_db_cluster_identifier conflicts with
     * engine and requires force_destroy). force_destroy detaches the members
     * on destroy instead of failing on a non-empty global cluster. */
    return pg_resource(out, NULL, "aws_rds_global_cluster", "main",
                       PG_STR("global_cluster_identifier", id),
                       PG_REF("source_db_cluster_identifier", source, "arn"),
                       PG_BOOL("force_destroy", true),
                       PG_BOOL("deletion_protection", pg_ctx_protected(ctx)),
                       PG_NAME("db-global"),
                       PG_PROTECT);
}

void aurora_cluster_common(pg_out *out, const aurora_config *cfg, const aurora_net *net, cJSON *c)
{
    pg_set(out, c,
           PG_REF("db_cluster_parameter_group_name", net->parameter_group, "name"),
           PG_INT("backup_retention_period", cfg->backup_retention),
           PG_STR("preferred_backup_window", cfg->backup_window),
           PG_STR("preferred_maintenance_window", cfg->maintenance_window),
           PG_BOOL("copy_tags_to_snapshot", true),
           PG_BOOL("iam_database_authentication_enabled", true),
           PG_STRS("enabled_cloudwatch_logs_exports", "postgresql"));
}

cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                      const aurora_legacy *legacy, const aurora_net *net, const cJSON *global,
                      const aurora_secret *secret, const aurora_instances *primary)
{
    if (r->primary && legacy->move == AURORA_MOVE_ADOPT)
        return aurora_adopted_cluster(ctx, out, r, cfg, legacy, net);

    const char *key = pg_need(ctx, r, "kms.database.arn");
    const char *id = aurora_cluster_identifier(out, r, legacy);
    if (!key || !*id)
        return NULL;
    /* The primary holds the database and its credentials, unless it is (or
     * was) a replica of today's instance: data and users come from there. */
    bool credentials = r->primary && legacy->move != AURORA_MOVE_REPLICA;
    bool replica = r->primary && aurora_is_replica(ctx, legacy);
    /* sensitive(): provider 5.x does not mark the generator's value so */
    const char *password =
        credentials ? pg_printf(out, "${sensitive(%s)}",
                                aurora_inner(out, pg_ref(out, secret->password, "random_password")))
                    : NULL;

    cJSON *c = pg_resource(
        out, r, "aws_rds_cluster", "main",
        PG_STR("cluster_identifier", id),
        PG_STR("engine", ENGINE),
        PG_STR("engine_version", legacy->version),
        /* A wrapped primary gets no global_cluster_identifier: the global
         * cluster is made from it (source_db_cluster_identifier). */
        PG_IF(global && !(r->primary && aurora_wraps(legacy)),
              PG_REF("global_cluster_identifier", global, "id")),
        PG_BOOL("storage_encrypted", true),
        PG_STR("kms_key_id", key),
        PG_INT("port", legacy->port),
        PG_REF("db_subnet_group_name", net->subnet_group, "name"),
        PG_STRS("vpc_security_group_ids", pg_ref(out, net->security_group, "id")),
        PG_IF(credentials, PG_STR("database_name", cfg->database_name)),
        PG_IF(credentials, PG_STR("master_username", cfg->master_username)),
        PG_IF(credentials, PG_STR("master_password", password)),
        /* An Aurora read replica of today's instance, in the legacy phase;
         * from migration on it is promoted (aurora.c, replica_promoted). */
        PG_IF(replica, PG_STR("replication_source_identifier", legacy->arn)),
        /* A replica of the primary: credentials and database come from it. */
        PG_IF(!r->primary, PG_STR("source_region", pg_ctx_primary(ctx)->name)),
        /* The same on every member: a switchover swaps the roles, and the
         * next plan must not fight it (database.write_forwarding). */
        PG_IF(pg_ctx_phase(ctx) >= PG_PHASE_MIGRATION,
              PG_BOOL("enable_global_write_forwarding", cfg->write_forwarding)),
        PG_NAME("db-cluster"),
        PG_PROTECT,
        /* Version upgrades go through the global cluster. A switchover or
         * failover rewrites membership and the replication source of every
         * member, the former primary's too: the plan after it shows no change
         * (docs/failover.md). The password is rotated outside Terraform. A
         * replica of today's instance is promoted by hand before migration
         * (aurora.c checks it), never by a plan that drops the argument. */
        PG_IGNORE_CHANGES("replication_source_identifier", "global_cluster_identifier",
                          "engine_version"),
        PG_IF(r->primary, PG_IGNORE_CHANGES("master_password")));
    if (!c)
        return NULL;
    aurora_cluster_common(out, cfg, net, c);
    bool protect = pg_ctx_protected(ctx);
    pg_set(out, c,
           PG_BOOL("deletion_protection", protect),
           PG_BOOL("skip_final_snapshot", !protect),
           PG_IF(protect, PG_STR("final_snapshot_identifier", pg_name(out, r, "db-final", 255))));
    /* A secondary joins once the primary's instances exist. */
    for (size_t i = 0; !r->primary && i < primary->count; i++)
        pg_set(out, c, PG_DEPENDS_ON(primary->blocks[i]));
    return c;
}

void aurora_instance_common(pg_out *out, const aurora_config *cfg, const char *monitoring_role,
                            const cJSON *monitoring_attachment, long n, cJSON *instance)
{
    pg_set(out, instance,
           PG_STR("instance_class", cfg->instance_class),
           PG_INT("promotion_tier", n == 1 ? 0 : 1),
           PG_BOOL("publicly_accessible", false),
           /* Minor upgrades of a global database go through the global cluster. */
           PG_BOOL("auto_minor_version_upgrade", false),
           PG_BOOL("copy_tags_to_snapshot", true),
           PG_STR("ca_cert_identifier", "rds-ca-rsa2048-g1"),
           PG_INT("monitoring_interval", 60),
           PG_STR("monitoring_role_arn", monitoring_role),
           /* Enhanced monitoring fails to start until the role holds its policy. */
           PG_DEPENDS_ON(monitoring_attachment));
}

/* An Aurora read replica cluster of an RDS PostgreSQL instance consists of
 * one reader; instances are added once it is promoted
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Migrating.RDSPostgreSQL.Replica.html). */
static long instance_count(const pg_ctx *ctx, const pg_region *r, const aurora_config *cfg,
                           const aurora_legacy *legacy)
{
    return r->primary && aurora_is_replica(ctx, legacy) ? 1 : cfg->instance_count;
}

int aurora_instances_add(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                         const aurora_config *cfg, const aurora_legacy *legacy,
                         const cJSON *cluster, const cJSON *monitoring_attachment,
                         aurora_instances *made)
{
    if (r->primary && legacy->move == AURORA_MOVE_ADOPT)
        return aurora_adopted_instances(ctx, out, r, cfg, legacy, cluster, monitoring_attachment,
                                        made);
    const char *key = pg_need(ctx, r, "kms.database.arn");
    const char *role = pg_need(ctx, r, "iam.rds_monitoring.arn");
    if (!key || !role)
        return -1;
    made->count = 0;
    long count = instance_count(ctx, r, cfg, legacy);
    for (long i = 1; i <= count && i <= AURORA_MAX_INSTANCES; i++) {
        const char *kind = pg_printf(out, "db-instance-%ld", i);
        const char *id = pg_name(out, r, kind, 63);
        if (*id && aurora_check_identifier(out, id, "instance") < 0)
            return -1;
        cJSON *in = pg_resource(
            out, r, "aws_rds_cluster_instance", pg_printf(out, "instance_%ld", i),
            PG_STR("identifier", id),
            PG_REF("cluster_identifier", cluster, "id"),
            PG_REF("engine", cluster, "engine"),
            /* One instance per AZ before any AZ gets a second. */
            PG_STR("availability_zone", r->azs[(size_t)(i - 1) % r->az_count]),
            PG_BOOL("performance_insights_enabled", true),
            PG_STR("performance_insights_kms_key_id", key),
            PG_INT("performance_insights_retention_period", 7),
            PG_NAME(kind));
        if (!in)
            return -1;
        aurora_instance_common(out, cfg, role, monitoring_attachment, i, in);
        made->blocks[made->count++] = in;
    }
    return 0;
}
