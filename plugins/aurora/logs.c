/* SPDX-License-Identifier: Apache-2.0 */
/* logs.c - what the database writes to its logs and where they go.
 *
 * Every cluster exports its postgresql log (guardrail 10) to
 * /aws/rds/cluster/<cluster identifier>/postgresql in the cluster's region.
 * RDS creates that group on the first export when it does not exist, with
 * no KMS key and no expiry; the group is therefore created here first, with
 * the region's logs key and database.log_retention_days, and the cluster
 * depends on it. "Publishing Aurora PostgreSQL logs to Amazon CloudWatch
 * Logs": https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.CloudWatch.html
 *
 * No bind values in the log (they may carry card data, PCI DSS 3.3/3.4):
 * log_parameter_max_length = 0 keeps them out of statement logging (slow
 * statements included), log_parameter_max_length_on_error = 0 out of error
 * messages; both exist from PostgreSQL 13
 * (https://www.postgresql.org/docs/13/runtime-config-logging.html#GUC-LOG-PARAMETER-MAX-LENGTH).
 *
 * pgaudit (PCI DSS 10.2.1): session logging of the ddl and role classes,
 * object logging of whatever the rds_pgaudit role is granted (DML on the
 * cardholder tables, docs/database.md), never the statement's parameters.
 * "Using pgAudit to log database activity":
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.html */
#include "aurora.h"

#include <stdlib.h>

/* PostgreSQL 13 brought log_parameter_max_length*. */
#define BIND_LIMIT_MAJOR 13

cJSON *aurora_log_group(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                        const aurora_config *cfg, const char *cluster_identifier, bool import)
{
    const char *key = pg_need(ctx, r, "kms.logs.arn");
    /* An empty identifier: its error is reported already. */
    if (!key || !*cluster_identifier)
        return NULL;
    const char *name = pg_printf(out, "/aws/rds/cluster/%s/postgresql", cluster_identifier);
    return pg_resource(out, r, "aws_cloudwatch_log_group", "db_postgresql",
                       PG_STR("name", name),
                       PG_STR("kms_key_id", key),
                       PG_INT("retention_in_days", strtol(cfg->log_retention_days, NULL, 10)),
                       PG_NAME("db-postgresql-logs"),
                       /* RDS made it for a cluster that exported before
                        * paygen managed it: brought under management, its
                        * key and retention set in place. */
                       PG_IF(import, PG_IMPORT(name)),
                       /* Audit evidence (PCI DSS 10.5.1), protected like the
                        * cluster whose log it is. */
                       PG_PROTECT);
}

int aurora_check_logging(pg_out *out, const aurora_config *cfg, const char *version)
{
    int major, minor;
    if (!aurora_version_parse(version, &major, &minor) || major >= BIND_LIMIT_MAJOR ||
        cfg->slow_statement_ms < 0)
        return 0;
    return pg_fail_at(out, "database.slow_statement_ms",
                      "is %ld, but PostgreSQL %s logs a slow statement's bind values (possibly "
                      "card data) and cannot be told not to before version 13 "
                      "(log_parameter_max_length); set -1 to turn the slow statement log off",
                      cfg->slow_statement_ms, version);
}

void aurora_log_parameters(pg_out *out, const aurora_config *cfg, cJSON *group)
{
    int major = 0, minor = 0;
    aurora_version_parse(cfg->engine_version, &major, &minor);
    const char *slow = pg_printf(out, "%ld", cfg->slow_statement_ms < 0 ? -1L
                                                                        : cfg->slow_statement_ms);
    const struct {
        const char *name, *value;
        bool when;
    } params[] = {
        {"log_connections", "1", true},
        {"log_disconnections", "1", true},
        /* Utility statements take no bind parameters; a DDL line is kept
         * even before CREATE EXTENSION pgaudit has run. */
        {"log_statement", "ddl", true},
        /* The statement text of slow statements, -1: none. */
        {"log_min_duration_statement", slow, true},
        {"log_parameter_max_length", "0", major >= BIND_LIMIT_MAJOR},
        {"log_parameter_max_length_on_error", "0", major >= BIND_LIMIT_MAJOR},
        /* Static. pg_stat_statements is Aurora's default from PostgreSQL 10
         * on and Performance Insights' SQL statistics need it
         * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.UsingDashboard.AnalyzeDBLoad.AdditionalMetrics.PostgreSQL.html). */
        {"shared_preload_libraries", "pg_stat_statements,pgaudit", true},
        {"pgaudit.log", "ddl,role", true},
        /* The only value RDS allows; object auditing logs what this role
         * is granted. */
        {"pgaudit.role", "rds_pgaudit", true},
        {"pgaudit.log_parameter", "0", true},
        /* Statements that touch pg_catalog only (clients' introspection). */
        {"pgaudit.log_catalog", "0", true},
    };
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        if (params[i].when)
            /* pending-reboot, as in network.c: RDS refuses immediate for a
             * static parameter such as shared_preload_libraries. */
            pg_block(out, group, "parameter",
                     PG_STR("name", params[i].name),
                     PG_STR("value", params[i].value),
                     PG_STR("apply_method", "pending-reboot"));
}
