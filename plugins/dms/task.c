/* SPDX-License-Identifier: Apache-2.0 */
/* task.c - the replication instance, the two endpoints and the task that
 * moves the data: a full load of every table of the configured schemas,
 * then change data capture until the operator stops it at cutover
 * (docs/dms.md).
 *
 * Values the provider checks against AWS enums (hashicorp/aws 5.x,
 * internal/service/dms): endpoint_type source|target
 * (ReplicationEndpointTypeValue), engine_name postgres|aurora-postgresql
 * (consts.go engineName_Values), ssl_mode none|require|verify-ca|verify-full
 * (DmsSslModeValue), migration_type full-load|cdc|full-load-and-cdc
 * (replication_task.go). With secrets_manager_arn the provider refuses
 * server_name, port, username and password (endpoint.go ConflictsWith): the
 * host and port come from the secret, which therefore must hold host, port,
 * username and password ("Using secrets to access AWS DMS endpoints"). */
#include "dms.h"

#include <stdio.h>
#include <string.h>

/* ssl_mode. verify-full authenticates the server against the CA DMS was
 * given (certificate_arn: the RDS CA bundle imported with aws dms
 * import-certificate, which generation cannot fetch); without it, require
 * encrypts the session without checking whom it talks to ("Using SSL with
 * AWS DMS", CHAP_Security.SSL.html). Aurora refuses plain connections
 * (rds.force_ssl = 1), and today's instance gets the same mode. */
static const char *ssl_mode(const dms_config *cfg)
{
    return *cfg->ca_certificate_arn ? "verify-full" : "require";
}

static cJSON *endpoint(pg_out *out, const dms_config *cfg, const dms_inputs *in,
                       const dms_access *a, bool source)
{
    const char *cert = cfg->ca_certificate_arn;
    return pg_resource(
        out, in->r, "aws_dms_endpoint", source ? "source" : "target",
        PG_STR("endpoint_id", pg_name(out, in->r, source ? "dms-source" : "dms-target", 255)),
        PG_STR("endpoint_type", source ? "source" : "target"),
        PG_STR("engine_name", source ? "postgres" : "aurora-postgresql"),
        PG_STR("database_name", source ? cfg->source_database : cfg->target_database),
        PG_STR("ssl_mode", ssl_mode(cfg)),
        PG_IF(*cert, PG_STR("certificate_arn", cert)),
        /* Encrypts the connection parameters DMS stores. */
        PG_STR("kms_key_arn", in->database_key),
        PG_STR("secrets_manager_arn", source ? in->source_secret_arn : in->aurora_secret_arn),
        PG_REF("secrets_manager_access_role_arn", a->secrets_role, "arn"),
        /* Source: no DDL capture, so DMS creates no event trigger or audit
         * table in today's database (CaptureDdls; schema changes are frozen
         * during the move instead), and a LOB longer than the limit fails
         * the task rather than arriving truncated. Target: the session runs
         * as a replica, so foreign keys and triggers of the pre-created
         * schema neither reject rows loaded out of order nor fire twice
         * (PostgreSQL as a target, AfterConnectScript). */
        PG_IF(source, PG_BLOCK("postgres_settings",
                               PG_BOOL("capture_ddls", false),
                               PG_BOOL("fail_tasks_on_lob_truncation", true))),
        PG_IF(!source, PG_BLOCK("postgres_settings",
                                PG_STR("after_connect_script",
                                       "SET session_replication_role = 'replica'"))),
        PG_DEPENDS_ON(a->secrets_policy),
        PG_NAME(source ? "dms-source" : "dms-target"));
}

/* Every table of each schema. */
static char *table_mappings(const dms_config *cfg)
{
    cJSON *doc = cJSON_CreateObject(), *rules = cJSON_AddArrayToObject(doc, "rules");
    for (size_t i = 0; i < cfg->schemas.count; i++) {
        char id[24];
        snprintf(id, sizeof id, "%zu", i + 1);
        cJSON *rule = cJSON_CreateObject();
        cJSON_AddStringToObject(rule, "rule-type", "selection");
        cJSON_AddStringToObject(rule, "rule-id", id);
        cJSON_AddStringToObject(rule, "rule-name", id);
        cJSON *locator = cJSON_AddObjectToObject(rule, "object-locator");
        cJSON_AddStringToObject(locator, "schema-name", cfg->schemas.items[i]);
        cJSON_AddStringToObject(locator, "table-name", "%");
        cJSON_AddStringToObject(rule, "rule-action", "include");
        cJSON_AddItemToArray(rules, rule);
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return text;
}

/* Task settings (CHAP_Tasks.CustomizingTasks.TaskSettings). Only keys AWS
 * returns, with the types it returns: the provider compares them with what
 * AWS reports (task_settings_json.go), so anything else would show as a
 * change on every plan. */
static char *task_settings(const dms_config *cfg)
{
    cJSON *doc = cJSON_CreateObject();
    /* PostgreSQL text, jsonb and bytea are LOBs to DMS: limited LOB mode
     * with a limit the profile sets, and the source fails the task on a
     * longer value (fail_tasks_on_lob_truncation). */
    cJSON *target = cJSON_AddObjectToObject(doc, "TargetMetadata");
    cJSON_AddBoolToObject(target, "SupportLobs", true);
    cJSON_AddBoolToObject(target, "FullLobMode", false);
    cJSON_AddBoolToObject(target, "LimitedSizeLobMode", true);
    cJSON_AddNumberToObject(target, "LobMaxSize", (double)cfg->lob_max_kb);
    /* DO_NOTHING (the default): the schema is created on Aurora before the
     * task starts and DMS never deletes a row there, so a task restarted by
     * mistake after cutover cannot empty the new primary. TRUNCATE_BEFORE_LOAD
     * makes a reload idempotent, at that risk; DROP_AND_CREATE would replace
     * the pre-created schema with DMS's (no secondary indexes, constraints or
     * defaults) and is not offered. */
    cJSON *load = cJSON_AddObjectToObject(doc, "FullLoadSettings");
    cJSON_AddStringToObject(load, "TargetTablePrepMode", cfg->target_table_prep_mode);
    /* Task logs to CloudWatch Logs (dms-tasks-<instance id>). The group and
     * stream names are read-only: the provider refuses them. */
    cJSON *logging = cJSON_AddObjectToObject(doc, "Logging");
    cJSON_AddBoolToObject(logging, "EnableLogging", true);
    /* Row-level comparison of source and target during the full load and
     * CDC (CHAP_Validating); failures land in awsdms_validation_failures_v1
     * on the target and in the task's validation state. */
    cJSON *validation = cJSON_AddObjectToObject(doc, "ValidationSettings");
    cJSON_AddBoolToObject(validation, "EnableValidation", true);
    cJSON_AddStringToObject(validation, "ValidationMode", "ROW_LEVEL");
    cJSON_AddNumberToObject(validation, "ThreadCount", 5);
    cJSON_AddNumberToObject(validation, "FailureMaxCount", 10000);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return text;
}

void dms_replication(pg_out *out, const dms_config *cfg, const dms_inputs *in, const dms_net *net,
                     const dms_access *a, const char *instance_id)
{
    const pg_region *r = in->r;
    /* Multi-AZ: a standby in another zone takes over without losing the
     * task; private, encrypted with the database key; minor versions only,
     * in a window of its own. No prevent_destroy: the production phase
     * removes the move once it is over. */
    cJSON *instance = pg_resource(
        out, r, "aws_dms_replication_instance", "main",
        PG_STR("replication_instance_id", instance_id),
        PG_STR("replication_instance_class", cfg->instance_class),
        PG_INT("allocated_storage", cfg->allocated_storage),
        PG_IF(*cfg->engine_version, PG_STR("engine_version", cfg->engine_version)),
        PG_BOOL("multi_az", true),
        PG_BOOL("publicly_accessible", false),
        PG_STR("kms_key_arn", in->database_key),
        PG_REF("replication_subnet_group_id", net->subnet_group, "replication_subnet_group_id"),
        PG_JSON("vpc_security_group_ids", pg_strings(pg_ref(out, net->security_group, "id"))),
        PG_BOOL("auto_minor_version_upgrade", true),
        PG_BOOL("allow_major_version_upgrade", false),
        /* Changes wait for the maintenance window: none restarts the
         * instance in the middle of change data capture. */
        PG_BOOL("apply_immediately", false),
        PG_STR("preferred_maintenance_window", cfg->maintenance_window),
        PG_NAME("dms"));

    cJSON *source = endpoint(out, cfg, in, a, true);
    cJSON *target = endpoint(out, cfg, in, a, false);

    char *mappings = table_mappings(cfg), *settings = task_settings(cfg);
    /* start_replication_task false: starting is a step of the runbook, after
     * the schema exists on Aurora and both endpoints pass test-connection; and
     * a task Terraform starts would be started again by a later apply after
     * the operator stopped it at cutover. A change of settings or mappings
     * stops a running task to modify it, and the provider restarts it only
     * when start_replication_task is true (replication_task.go): change
     * nothing here while the task runs. */
    cJSON *task = pg_resource(
        out, r, "aws_dms_replication_task", "main",
        PG_STR("replication_task_id", pg_name(out, r, "dms-task", 255)),
        PG_STR("migration_type", "full-load-and-cdc"),
        PG_REF("replication_instance_arn", instance, "replication_instance_arn"),
        PG_REF("source_endpoint_arn", source, "endpoint_arn"),
        PG_REF("target_endpoint_arn", target, "endpoint_arn"),
        PG_STR("table_mappings", mappings),
        PG_STR("replication_task_settings", settings),
        PG_BOOL("start_replication_task", false),
        PG_DEPENDS_ON(a->log_group),
        PG_MAP("lifecycle",
               PG_BLOCK("precondition",
                        PG_STR("condition", dms_trusts_dms(out, a->logs_role)),
                        PG_STR("error_message",
                               "The account role dms-cloudwatch-logs-role does not trust "
                               "dms.amazonaws.com: the task could not write its logs. Create it "
                               "once per account as docs/dms.md (prerequisites) shows."))),
        PG_NAME("dms-task"));
    cJSON_free(mappings);
    cJSON_free(settings);

    static const struct {
        const char *name, *attribute, *description;
        int which;
    } outputs[] = {
        {"dms_replication_task_arn", "replication_task_arn", "DMS task that moves today's data", 0},
        {"dms_replication_instance_arn", "replication_instance_arn", "DMS replication instance", 1},
        {"dms_source_endpoint_arn", "endpoint_arn", "DMS endpoint of today's database", 2},
        {"dms_target_endpoint_arn", "endpoint_arn", "DMS endpoint of the Aurora writer", 3},
    };
    const cJSON *blocks[] = {task, instance, source, target};
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
        pg_output(out, outputs[i].name, pg_ref(out, blocks[outputs[i].which], outputs[i].attribute),
                  outputs[i].description);
}
