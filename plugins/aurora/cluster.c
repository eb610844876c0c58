/* SPDX-License-Identifier: Apache-2.0 */
/* cluster.c - the global cluster, one member cluster per active region and
 * their instances (R5). The primary region's cluster is created with the
 * master credentials; every other region's cluster is a secondary that
 * replicates from it and carries no credentials of its own. */
#include "aurora.h"

#define ENGINE "aurora-postgresql"

cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg)
{
    const char *id = pg_name(out, NULL, "db-global", 63);
    if (*id && aurora_check_identifier(out, id, "global cluster") < 0)
        return NULL;
    return pg_resource(out, NULL, "aws_rds_global_cluster", "main",
                       PG_STR("global_cluster_identifier", id),
                       PG_STR("engine", ENGINE),
                       PG_STR("engine_version", cfg->engine_version),
                       PG_BOOL("storage_encrypted", true),
                       PG_BOOL("deletion_protection", pg_ctx_protected(ctx)),
                       PG_NAME("db-global"),
                       PG_PROTECT);
}

cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                      const aurora_net *net, const cJSON *global, const aurora_secret *secret,
                      const aurora_instances *primary)
{
    bool protect = pg_ctx_protected(ctx);
    const char *key = pg_need(ctx, r, "kms.database.arn");
    const char *id = pg_name(out, r, "db-cluster", 63);
    if (!key || (*id && aurora_check_identifier(out, id, "cluster") < 0))
        return NULL;

    cJSON *c = pg_resource(
        out, r, "aws_rds_cluster", "main",
        PG_STR("cluster_identifier", id),
        PG_STR("engine", ENGINE),
        PG_STR("engine_version", cfg->engine_version),
        PG_REF("global_cluster_identifier", global, "id"),
        PG_BOOL("storage_encrypted", true),
        PG_STR("kms_key_id", key),
        PG_INT("port", AURORA_PORT),
        PG_REF("db_subnet_group_name", net->subnet_group, "name"),
        PG_STRS("vpc_security_group_ids", pg_ref(out, net->security_group, "id")),
        PG_REF("db_cluster_parameter_group_name", net->parameter_group, "name"),
        PG_INT("backup_retention_period", cfg->backup_retention),
        PG_STR("preferred_backup_window", cfg->backup_window),
        PG_STR("preferred_maintenance_window", cfg->maintenance_window),
        PG_BOOL("copy_tags_to_snapshot", true),
        PG_BOOL("iam_database_authentication_enabled", true),
        PG_STRS("enabled_cloudwatch_logs_exports", "postgresql"),
        PG_BOOL("deletion_protection", protect),
        PG_BOOL("skip_final_snapshot", !protect),
        PG_IF(protect, PG_STR("final_snapshot_identifier", pg_name(out, r, "db-final", 255))),
        /* The primary holds the database and its credentials. */
        PG_IF(r->primary, PG_STR("database_name", cfg->database_name)),
        PG_IF(r->primary, PG_STR("master_username", cfg->master_username)),
        PG_IF(r->primary, PG_REF("master_password", secret->password, "random_password")),
        /* A replica of the primary: credentials and database come from it. */
        PG_IF(!r->primary, PG_STR("source_region", pg_ctx_primary(ctx)->name)),
        /* writes reaching the secondary's endpoint go to the primary writer */
        PG_IF(!r->primary, PG_BOOL("enable_global_write_forwarding", true)),
        PG_NAME("db-cluster"),
        PG_PROTECT,
        /* Version upgrades go through the global cluster; membership is managed
         * by AWS after a switchover; the password is rotated outside Terraform. */
        PG_IF(r->primary, PG_IGNORE_CHANGES("global_cluster_identifier", "engine_version",
                                            "master_password")),
        PG_IF(!r->primary, PG_IGNORE_CHANGES("replication_source_identifier",
                                             "global_cluster_identifier", "engine_version")));
    /* A secondary joins once the primary's instances exist. */
    for (size_t i = 0; !r->primary && i < primary->count; i++)
        pg_set(out, c, PG_DEPENDS_ON(primary->blocks[i]));
    return c;
}

int aurora_instances_add(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                         const aurora_config *cfg, const cJSON *cluster,
                         const cJSON *monitoring_attachment, aurora_instances *made)
{
    const char *key = pg_need(ctx, r, "kms.database.arn");
    const char *role = pg_need(ctx, r, "iam.rds_monitoring.arn");
    if (!key || !role)
        return -1;
    made->count = 0;
    for (long i = 1; i <= cfg->instance_count && i <= AURORA_MAX_INSTANCES; i++) {
        const char *kind = pg_printf(out, "db-instance-%ld", i);
        const char *id = pg_name(out, r, kind, 63);
        if (*id && aurora_check_identifier(out, id, "instance") < 0)
            return -1;
        made->blocks[made->count++] = pg_resource(
            out, r, "aws_rds_cluster_instance", pg_printf(out, "instance_%ld", i),
            PG_STR("identifier", id),
            PG_REF("cluster_identifier", cluster, "id"),
            PG_REF("engine", cluster, "engine"),
            PG_STR("instance_class", cfg->instance_class),
            /* One instance per AZ before any AZ gets a second. */
            PG_STR("availability_zone", r->azs[(size_t)(i - 1) % r->az_count]),
            PG_INT("promotion_tier", i == 1 ? 0 : 1),
            PG_BOOL("publicly_accessible", false),
            /* Minor upgrades of a global database go through the global cluster. */
            PG_BOOL("auto_minor_version_upgrade", false),
            PG_BOOL("copy_tags_to_snapshot", true),
            PG_STR("ca_cert_identifier", "rds-ca-rsa2048-g1"),
            PG_BOOL("performance_insights_enabled", true),
            PG_STR("performance_insights_kms_key_id", key),
            PG_INT("performance_insights_retention_period", 7),
            PG_INT("monitoring_interval", 60),
            PG_STR("monitoring_role_arn", role),
            /* Enhanced monitoring fails to start until the role holds its policy. */
            PG_DEPENDS_ON(monitoring_attachment),
            PG_NAME(kind));
    }
    return 0;
}
