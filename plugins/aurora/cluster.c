/* cluster.c - the global cluster, one member cluster per active region and
 * their instances (R5). The primary region's cluster is created with the
 * master credentials; every other region's cluster is a secondary that
 * replicates from it and carries no credentials of its own. */
#include "aurora.h"

#include <stdbool.h>

#define ENGINE "aurora-postgresql"

cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_cfg *cfg)
{
    const char *id = pg_name(out, NULL, "db-global", 63);
    if (*id && aurora_check_identifier(out, id, "global cluster") < 0)
        return NULL;
    cJSON *g = pg_resource(out, NULL, "aws_rds_global_cluster", "main");
    cJSON_AddStringToObject(g, "global_cluster_identifier", id);
    cJSON_AddStringToObject(g, "engine", ENGINE);
    cJSON_AddStringToObject(g, "engine_version", cfg->engine_version);
    cJSON_AddBoolToObject(g, "storage_encrypted", true);
    cJSON_AddBoolToObject(g, "deletion_protection", pg_ctx_protected(ctx));
    pg_tag_name(g, id);
    pg_protect(ctx, g);
    return g;
}

static void ignore_changes(cJSON *block, cJSON *attributes)
{
    cJSON *lc = cJSON_GetObjectItemCaseSensitive(block, "lifecycle");
    if (!lc)
        lc = cJSON_AddObjectToObject(block, "lifecycle");
    cJSON_AddItemToObject(lc, "ignore_changes", attributes);
}

cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                      const aurora_net *net, const cJSON *global, const aurora_secret *secret,
                      const cJSON *primary_instances)
{
    bool protect = pg_ctx_protected(ctx);
    const char *key = pg_lookup_string(ctx, r, "kms.database.arn");
    const char *id = pg_name(out, r, "db-cluster", 63);
    if (!key) {
        pg_error(out, "region %s: kms.database.arn is not published", r->name);
        return NULL;
    }
    if (*id && aurora_check_identifier(out, id, "cluster") < 0)
        return NULL;

    cJSON *c = pg_resource(out, r, "aws_rds_cluster", "main");
    cJSON_AddStringToObject(c, "cluster_identifier", id);
    cJSON_AddStringToObject(c, "engine", ENGINE);
    cJSON_AddStringToObject(c, "engine_version", cfg->engine_version);
    cJSON_AddStringToObject(c, "global_cluster_identifier", pg_ref(out, global, "id"));
    cJSON_AddBoolToObject(c, "storage_encrypted", true);
    cJSON_AddStringToObject(c, "kms_key_id", key);
    cJSON_AddNumberToObject(c, "port", AURORA_PORT);
    cJSON_AddStringToObject(c, "db_subnet_group_name", pg_ref(out, net->subnet_group, "name"));
    cJSON_AddItemToObject(c, "vpc_security_group_ids",
                          pg_strings(pg_ref(out, net->security_group, "id"), NULL));
    cJSON_AddStringToObject(c, "db_cluster_parameter_group_name",
                            pg_ref(out, net->parameter_group, "name"));
    cJSON_AddNumberToObject(c, "backup_retention_period", (double)cfg->backup_retention);
    cJSON_AddStringToObject(c, "preferred_backup_window", cfg->backup_window);
    cJSON_AddStringToObject(c, "preferred_maintenance_window", cfg->maintenance_window);
    cJSON_AddBoolToObject(c, "copy_tags_to_snapshot", true);
    cJSON_AddBoolToObject(c, "iam_database_authentication_enabled", true);
    cJSON_AddItemToObject(c, "enabled_cloudwatch_logs_exports", pg_strings("postgresql", NULL));
    cJSON_AddBoolToObject(c, "deletion_protection", protect);
    cJSON_AddBoolToObject(c, "skip_final_snapshot", !protect);
    if (protect)
        cJSON_AddStringToObject(c, "final_snapshot_identifier", pg_name(out, r, "db-final", 255));

    if (r->primary) {
        cJSON_AddStringToObject(c, "database_name", cfg->database_name);
        cJSON_AddStringToObject(c, "master_username", cfg->master_username);
        cJSON_AddStringToObject(c, "master_password",
                                pg_ref(out, secret->password, "random_password"));
    } else {
        /* A replica of the primary: credentials and database come from it. */
        cJSON_AddStringToObject(c, "source_region", pg_ctx_primary(ctx)->name);
        /* writes reaching the secondary's endpoint go to the primary writer */
        cJSON_AddBoolToObject(c, "enable_global_write_forwarding", true);
        cJSON_AddItemToObject(c, "depends_on", cJSON_Duplicate(primary_instances, true));
    }
    pg_tag_name(c, pg_name(out, r, "db-cluster", 256));
    pg_protect(ctx, c);
    /* Version upgrades go through the global cluster; membership is managed
     * by AWS after a switchover; the password is rotated outside Terraform. */
    ignore_changes(c, r->primary ? pg_strings("global_cluster_identifier", "engine_version",
                                              "master_password", NULL)
                                 : pg_strings("replication_source_identifier",
                                              "global_cluster_identifier", "engine_version", NULL));
    return c;
}

cJSON *aurora_instances(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                        const cJSON *cluster, const cJSON *monitoring_attachment)
{
    const char *key = pg_lookup_string(ctx, r, "kms.database.arn");
    const char *role = pg_lookup_string(ctx, r, "iam.rds_monitoring.arn");
    cJSON *addresses = cJSON_CreateArray();
    for (long i = 1; i <= cfg->instance_count; i++) {
        const char *kind = pg_printf(out, "db-instance-%ld", i);
        const char *id = pg_name(out, r, kind, 63);
        if (*id && aurora_check_identifier(out, id, "instance") < 0)
            break;
        cJSON *in =
            pg_resource(out, r, "aws_rds_cluster_instance", pg_printf(out, "instance_%ld", i));
        cJSON_AddStringToObject(in, "identifier", id);
        cJSON_AddStringToObject(in, "cluster_identifier", pg_ref(out, cluster, "id"));
        cJSON_AddStringToObject(in, "engine", pg_ref(out, cluster, "engine"));
        cJSON_AddStringToObject(in, "instance_class", cfg->instance_class);
        /* One instance per AZ before any AZ gets a second. */
        cJSON_AddStringToObject(in, "availability_zone", r->azs[(size_t)(i - 1) % r->az_count]);
        cJSON_AddNumberToObject(in, "promotion_tier", i == 1 ? 0 : 1);
        cJSON_AddBoolToObject(in, "publicly_accessible", false);
        /* Minor upgrades of a global database go through the global cluster. */
        cJSON_AddBoolToObject(in, "auto_minor_version_upgrade", false);
        cJSON_AddBoolToObject(in, "copy_tags_to_snapshot", true);
        cJSON_AddStringToObject(in, "ca_cert_identifier", "rds-ca-rsa2048-g1");
        cJSON_AddBoolToObject(in, "performance_insights_enabled", true);
        cJSON_AddStringToObject(in, "performance_insights_kms_key_id", key);
        cJSON_AddNumberToObject(in, "performance_insights_retention_period", 7);
        cJSON_AddNumberToObject(in, "monitoring_interval", 60);
        cJSON_AddStringToObject(in, "monitoring_role_arn", role);
        /* Enhanced monitoring fails to start until the role holds its policy. */
        cJSON_AddItemToObject(in, "depends_on",
                              pg_strings(pg_address(out, monitoring_attachment), NULL));
        pg_tag_name(in, pg_name(out, r, kind, 256));
        cJSON_AddItemToArray(addresses, cJSON_CreateString(pg_address(out, in)));
    }
    return addresses;
}
