/* SPDX-License-Identifier: Apache-2.0 */
/* legacy - the platform that runs today, described by the profile's legacy
 * section, for the plugins that adopt it, connect to it and move its data
 * and traffic (issue: start from the platform that runs today). See
 * docs/profile.md (legacy) and docs/migration-runbook.md.
 *
 * The plugin writes little itself: data sources for the legacy subnets (the
 * Transit Gateway attachment) and, when groups are referenced across the
 * Transit Gateway, the legacy application security groups; and, when the
 * legacy state is named, a read of it with a precondition that it describes
 * the same VPC. Everything else is published for aurora, transit, dns and dms:
 *
 * - global literals legacy.database.{kind,move,identifier,engine_version,
 *   kms_key_arn,port,arn} (+ subnet_group, master_username for Aurora,
 *   secret_arn for DMS) and lists legacy.database.{security_group_ids,
 *   instance_identifiers}, in every phase (an adopted cluster stays);
 * - legacy.endpoint.{dns_name,zone_id} in the legacy and migration phases;
 * - in the primary region: legacy.vpc_id, legacy.cidr, legacy.route_table_ids,
 *   legacy.security_group_references whenever the VPC is described, and
 *   legacy.subnet_ids (+ legacy.security_group_ids with references) in the
 *   phases where the legacy VPC is connected: legacy and migration, and
 *   production too when the adopted Aurora cluster lives in the legacy VPC.
 * A name is published only when that part is described. */
#include "legacy.h"

#include <string.h>

bool legacy_has_database(const legacy_config *cfg)
{
    return strcmp(cfg->database.kind, "none") != 0;
}

bool legacy_adopts_cluster(const legacy_config *cfg)
{
    return !strcmp(cfg->database.kind, "aurora-postgresql");
}

const char *legacy_move(const legacy_config *cfg)
{
    if (!legacy_has_database(cfg))
        return NULL;
    if (legacy_adopts_cluster(cfg))
        return "adopt";
    return *cfg->database.move ? cfg->database.move : "replica";
}

static void publish_list(pg_out *out, const pg_region *r, const char *name, pg_list list)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < list.count; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(list.items[i]));
    pg_publish(out, r, name, a);
}

static int publish_database(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    const legacy_database *db = &cfg->database;
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    if (!partition || !account)
        return -1;
    bool aurora = legacy_adopts_cluster(cfg);
    pg_publish_string(out, NULL, "legacy.database.kind", db->kind);
    pg_publish_string(out, NULL, "legacy.database.move", legacy_move(cfg));
    pg_publish_string(out, NULL, "legacy.database.identifier", db->identifier);
    pg_publish_string(out, NULL, "legacy.database.engine_version", db->engine_version);
    pg_publish_string(out, NULL, "legacy.database.kms_key_arn", db->kms_key_arn);
    pg_publish_string(out, NULL, "legacy.database.port", pg_printf(out, "%ld", db->port));
    /* A cluster ARN names "cluster:", an instance ARN "db:". */
    pg_publish_string(out, NULL, "legacy.database.arn",
                      pg_printf(out, "arn:%s:rds:%s:%s:%s:%s", partition,
                                pg_ctx_primary(ctx)->name, account, aurora ? "cluster" : "db",
                                db->identifier));
    if (aurora) {
        pg_publish_string(out, NULL, "legacy.database.subnet_group", db->subnet_group);
        pg_publish_string(out, NULL, "legacy.database.master_username", db->master_username);
        publish_list(out, NULL, "legacy.database.security_group_ids", db->security_group_ids);
        publish_list(out, NULL, "legacy.database.instance_identifiers", db->instance_identifiers);
    }
    if (*db->secret_arn)
        pg_publish_string(out, NULL, "legacy.database.secret_arn", db->secret_arn);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const legacy_config *cfg = pg_config(ctx);
    if (legacy_check(ctx, out, cfg) < 0)
        return -1;
    pg_phase phase = pg_ctx_phase(ctx);
    const pg_region *primary = pg_ctx_primary(ctx);

    if (legacy_has_database(cfg) && publish_database(ctx, out, cfg) < 0)
        return -1;
    if (*cfg->endpoint_dns_name && phase != PG_PHASE_PRODUCTION) {
        pg_publish_string(out, NULL, "legacy.endpoint.dns_name", cfg->endpoint_dns_name);
        pg_publish_string(out, NULL, "legacy.endpoint.zone_id", cfg->endpoint_zone_id);
    }
    if (!*cfg->vpc_id)
        return 0;
    pg_publish_string(out, primary, "legacy.vpc_id", cfg->vpc_id);
    pg_publish_string(out, primary, "legacy.cidr", cfg->cidr);
    publish_list(out, primary, "legacy.route_table_ids", cfg->route_table_ids);
    pg_publish_string(out, primary, "legacy.security_group_references",
                      cfg->security_group_references ? "true" : "false");

    /* Connected while the move lasts; for good when the adopted cluster
     * stays in the legacy VPC. */
    if (phase != PG_PHASE_PRODUCTION || legacy_adopts_cluster(cfg))
        legacy_lookups(ctx, out, cfg);
    if (phase != PG_PHASE_PRODUCTION)
        legacy_state_check(ctx, out, cfg);
    return 0;
}

static const pg_publication publishes[] = {
    {"legacy.database.kind", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.move", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.identifier", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.engine_version", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.kms_key_arn", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.port", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.arn", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.subnet_group", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.master_username", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.secret_arn", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.database.security_group_ids", PG_GLOBAL, PG_KIND_LIST},
    {"legacy.database.instance_identifiers", PG_GLOBAL, PG_KIND_LIST},
    {"legacy.endpoint.dns_name", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.endpoint.zone_id", PG_GLOBAL, PG_KIND_STRING},
    {"legacy.vpc_id", PG_REGIONAL, PG_KIND_STRING},
    {"legacy.cidr", PG_REGIONAL, PG_KIND_STRING},
    {"legacy.route_table_ids", PG_REGIONAL, PG_KIND_LIST},
    {"legacy.security_group_references", PG_REGIONAL, PG_KIND_STRING},
    {"legacy.subnet_ids", PG_REGIONAL, PG_KIND_STRING},
    {"legacy.security_group_ids", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const pg_setting settings[] = {
    PG_SETTING_STRING("legacy.vpc_id", legacy_config, vpc_id, "",
                      "id of today's VPC (vpc-...) in the primary region; empty: no legacy VPC, "
                      "nothing is connected"),
    PG_SETTING_STRING("legacy.cidr", legacy_config, cidr, "",
                      "CIDR of today's VPC; must not overlap any region's cidr"),
    PG_SETTING_LIST("legacy.subnet_ids", legacy_config, subnet_ids, "",
                    "today's subnets the Transit Gateway attaches to, one per availability zone; "
                    "empty: find them by tag"),
    PG_SETTING_STRING("legacy.subnet_tag_key", legacy_config, subnet_tag_key, "Name",
                      "tag key that marks those subnets"),
    PG_SETTING_STRING("legacy.subnet_tag_value", legacy_config, subnet_tag_value, "",
                      "value of that tag ('*' and '?' are wildcards); it must match one subnet per "
                      "availability zone"),
    PG_SETTING_LIST("legacy.route_table_ids", legacy_config, route_table_ids, "",
                    "today's route tables (rtb-...) that get routes to the new VPCs"),
    PG_SETTING_LIST("legacy.security_group_ids", legacy_config, security_group_ids, "",
                    "today's application security groups (sg-...), referenced only with "
                    "legacy.security_group_references; empty: find them by tag"),
    PG_SETTING_STRING("legacy.security_group_tag_key", legacy_config, security_group_tag_key,
                      "Name", "tag key that marks those security groups"),
    PG_SETTING_STRING("legacy.security_group_tag_value", legacy_config, security_group_tag_value,
                      "", "value of that tag ('*' and '?' are wildcards)"),
    PG_SETTING_BOOL("legacy.security_group_references", legacy_config, security_group_references,
                    "false",
                    "admit today's application by its security groups across the Transit Gateway "
                    "(security group referencing, same region only) instead of by legacy.cidr"),
    PG_SETTING_CHOICE("legacy.database.kind", legacy_config, database.kind, "none", "none|aurora-postgresql|rds-postgresql",
                      "today's database: none, an Aurora PostgreSQL cluster (adopted as the primary) "
                      "or an RDS PostgreSQL instance (moved by legacy.database.move)"),
    PG_SETTING_STRING("legacy.database.move", legacy_config, database.move, "",
                      "how an RDS PostgreSQL instance moves: replica (an Aurora read replica, "
                      "promoted at cutover; the default) or dms (full load and change data capture)"),
    PG_SETTING_STRING("legacy.database.identifier", legacy_config, database.identifier, "",
                      "identifier of today's cluster (Aurora) or instance (RDS)"),
    PG_SETTING_STRING("legacy.database.engine_version", legacy_config, database.engine_version, "",
                      "PostgreSQL version today's database runs, e.g. 15.4"),
    PG_SETTING_STRING("legacy.database.kms_key_arn", legacy_config, database.kms_key_arn, "",
                      "ARN of the KMS key today's database storage is encrypted with"),
    PG_SETTING_INT("legacy.database.port", legacy_config, database.port, "5432", 1150, 65535, "port today's database listens on"),
    PG_SETTING_STRING("legacy.database.subnet_group", legacy_config, database.subnet_group, "",
                      "Aurora: today's DB subnet group (the adopted cluster keeps it)"),
    PG_SETTING_LIST("legacy.database.security_group_ids", legacy_config, database.security_group_ids, "",
                    "Aurora: today's DB security groups (the adopted cluster keeps them)"),
    PG_SETTING_STRING("legacy.database.master_username", legacy_config, database.master_username, "",
                      "Aurora: today's master user name"),
    PG_SETTING_LIST("legacy.database.instance_identifiers", legacy_config, database.instance_identifiers, "",
                    "Aurora: today's instances, imported in this order (instance_1, ...)"),
    PG_SETTING_STRING("legacy.database.secret_arn", legacy_config, database.secret_arn, "",
                      "DMS: ARN of the Secrets Manager secret with today's credentials "
                      "(username, password)"),
    PG_SETTING_STRING("legacy.endpoint.dns_name", legacy_config, endpoint_dns_name, "",
                      "DNS name of today's load balancer, a weighted target until production"),
    PG_SETTING_STRING("legacy.endpoint.zone_id", legacy_config, endpoint_zone_id, "",
                      "canonical hosted zone id of that load balancer (the alias target's zone)"),
    PG_SETTING_STRING("legacy.state.bucket", legacy_config, state_bucket, "",
                      "S3 bucket of today's Terraform state; empty: the state is not read"),
    PG_SETTING_STRING("legacy.state.key", legacy_config, state_key, "legacy/terraform.tfstate",
                      "object key of that state"),
    PG_SETTING_STRING("legacy.state.region", legacy_config, state_region, "",
                      "region of that bucket; empty: the primary region"),
    PG_SETTING_STRING("legacy.state.vpc_id_output", legacy_config, state_vpc_id_output, "vpc_id",
                      "output of today's stack that must equal legacy.vpc_id (checked at plan)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("legacy", "2.0.0", "Apache-2.0",
                 "today's platform: what is adopted, connected and moved, and the lookups it needs",
                 publishes, NULL, settings, sizeof(legacy_config), contribute)
