/* ecs_task.c - the task log group and the task definition. The container is
 * hardened for PCI DSS (guardrail 22): non-root user, read-only root file
 * system (with a writable /tmp volume), not privileged, all capabilities
 * dropped, secrets only by reference (never in the environment), logs to a
 * KMS-encrypted group kept at least a year. */
#include "ecs.h"

#include <string.h>

static int log_group(ecs_site *s)
{
    pg_out *out = s->out;
    const char *key = ecs_need(s, s->r, "kms.logs.arn");
    if (!key)
        return -1;
    cJSON *lg = s->log_group = pg_resource(out, s->r, "aws_cloudwatch_log_group", "ecs");
    cJSON_AddStringToObject(lg, "name", pg_printf(out, "/ecs/%s", pg_name(out, NULL, "api", 500)));
    cJSON_AddStringToObject(lg, "kms_key_id", key);
    cJSON_AddNumberToObject(lg, "retention_in_days",
                            (double)pg_ctx_int(s->ctx, "compute.log_retention_days"));
    pg_tag_name(lg, pg_name(out, s->r, "ecs-logs", 256));
    return 0;
}

static cJSON *pair(const char *name_key, const char *name, const char *value_key, const char *value)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, name_key, name);
    cJSON_AddStringToObject(p, value_key, value);
    return p;
}

/* A value to embed in the container definitions' JSON text. An expression
 * that holds quotes (e.g. "${replace(x, \":a:\", \":b:\")}") would be
 * escaped by the JSON printer and break the template, so it goes through a
 * local and the text refers to that. */
static const char *embeddable(ecs_site *s, const char *what, const char *value)
{
    if (!strpbrk(value, "\"\\"))
        return value;
    const char *name = pg_printf(s->out, "ecs_%s_%s", what, s->r->code);
    pg_local(s->out, name, cJSON_CreateString(value));
    return pg_printf(s->out, "${local.%s}", name);
}

/* The container definitions as the JSON text AWS expects. Interpolations
 * inside it (${...}) are resolved by Terraform's string templates; the
 * values they produce (ARNs, host names, names) need no JSON escaping. */
static const char *container_definitions(ecs_site *s, const char *secret, const char *db_host,
                                         const char *db_port)
{
    pg_out *out = s->out;
    cJSON *defs = cJSON_CreateArray();
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(defs, c);
    cJSON_AddStringToObject(c, "name", ECS_CONTAINER);
    cJSON_AddStringToObject(c, "image", ecs_image(s));
    cJSON_AddBoolToObject(c, "essential", true);
    cJSON_AddStringToObject(c, "user", "10001:10001");
    cJSON_AddBoolToObject(c, "privileged", false);
    cJSON_AddBoolToObject(c, "readonlyRootFilesystem", true);

    cJSON *port = cJSON_CreateObject();
    cJSON_AddNumberToObject(port, "containerPort", (double)s->port);
    cJSON_AddNumberToObject(port, "hostPort", (double)s->port);
    cJSON_AddStringToObject(port, "protocol", "tcp");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(c, "portMappings"), port);

    cJSON *env = cJSON_AddArrayToObject(c, "environment");
    cJSON_AddItemToArray(env, pair("name", "DB_HOST", "value", embeddable(s, "db_host", db_host)));
    cJSON_AddItemToArray(env, pair("name", "DB_PORT", "value", db_port));
    cJSON_AddItemToArray(env, pair("name", "PORT", "value", pg_printf(out, "%ld", s->port)));
    cJSON_AddItemToArray(env, pair("name", "AWS_REGION", "value", s->r->name));
    cJSON_AddItemToArray(
        cJSON_AddArrayToObject(c, "secrets"),
        pair("name", "DB_SECRET", "valueFrom", embeddable(s, "db_secret", secret)));

    cJSON *mount = cJSON_CreateObject();
    cJSON_AddStringToObject(mount, "sourceVolume", "tmp");
    cJSON_AddStringToObject(mount, "containerPath", "/tmp");
    cJSON_AddBoolToObject(mount, "readOnly", false);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(c, "mountPoints"), mount);

    cJSON *linux_params = cJSON_AddObjectToObject(c, "linuxParameters");
    cJSON_AddBoolToObject(linux_params, "initProcessEnabled", true);
    cJSON_AddItemToObject(cJSON_AddObjectToObject(linux_params, "capabilities"), "drop",
                          pg_strings("ALL", NULL));

    cJSON *logs = cJSON_AddObjectToObject(c, "logConfiguration");
    cJSON_AddStringToObject(logs, "logDriver", "awslogs");
    cJSON *opts = cJSON_AddObjectToObject(logs, "options");
    cJSON_AddStringToObject(opts, "awslogs-group", pg_ref(out, s->log_group, "name"));
    cJSON_AddStringToObject(opts, "awslogs-region", s->r->name);
    cJSON_AddStringToObject(opts, "awslogs-stream-prefix", "api");

    char *text = cJSON_PrintUnformatted(defs);
    const char *kept = pg_printf(out, "%s", text);
    cJSON_free(text);
    cJSON_Delete(defs);
    return kept;
}

static const char *database_port(ecs_site *s)
{
    const cJSON *port = pg_lookup(s->ctx, NULL, "aurora.port");
    if (cJSON_IsNumber(port))
        return pg_printf(s->out, "%d", port->valueint);
    if (cJSON_IsString(port))
        return port->valuestring;
    pg_error(s->out, "reference 'aurora.port' is missing");
    return NULL;
}

int ecs_task(ecs_site *s)
{
    pg_out *out = s->out;
    const char *execution = ecs_need(s, s->r, "iam.ecs_execution.arn");
    const char *task_role = ecs_need(s, s->r, "iam.ecs_task.arn");
    const char *secret = ecs_need(s, s->r, "aurora.secret_arn");
    const char *db_host = ecs_need(s, s->r, "aurora.writer_endpoint");
    const char *db_port = database_port(s);
    const char *family = pg_name(out, NULL, "api", 255);
    if (!execution || !task_role || !secret || !db_host || !db_port || !*family || log_group(s))
        return -1;

    cJSON *td = s->task = pg_resource(out, s->r, "aws_ecs_task_definition", "api");
    cJSON_AddStringToObject(td, "family", family);
    cJSON_AddStringToObject(td, "network_mode", "awsvpc");
    cJSON_AddItemToObject(td, "requires_compatibilities", pg_strings("FARGATE", NULL));
    cJSON_AddStringToObject(td, "cpu", pg_printf(out, "%ld", pg_ctx_int(s->ctx, "compute.cpu")));
    cJSON_AddStringToObject(td, "memory",
                            pg_printf(out, "%ld", pg_ctx_int(s->ctx, "compute.memory")));
    cJSON *platform = ecs_block(td, "runtime_platform");
    cJSON_AddStringToObject(platform, "operating_system_family", "LINUX");
    cJSON_AddStringToObject(platform, "cpu_architecture",
                            pg_ctx_string(s->ctx, "compute.cpu_architecture"));
    cJSON_AddStringToObject(td, "execution_role_arn", execution);
    cJSON_AddStringToObject(td, "task_role_arn", task_role);
    /* A volume without host: task storage, the only writable place. */
    cJSON_AddStringToObject(ecs_block(td, "volume"), "name", "tmp");
    cJSON_AddStringToObject(td, "container_definitions",
                            container_definitions(s, secret, db_host, db_port));
    pg_tag_name(td, pg_name(out, s->r, "api-task", 256));
    return 0;
}
