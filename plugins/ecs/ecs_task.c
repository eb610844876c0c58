/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_task.c - the task log group and a task definition per colour, which
 * differ in their family, their image (image_<colour>) and their log stream
 * prefix. The container is hardened for PCI DSS (guardrail 22): non-root
 * user, read-only root file system (with a writable /tmp volume), not
 * privileged, all capabilities dropped, no secret at all (the database by
 * IAM authentication), logs to a KMS-encrypted group kept at least a year.
 *
 * The database: DB_WRITER_HOST for writes, DB_READER_HOST (the region's
 * reader endpoint) for reads; DB_HOST, which releases before the split
 * read, is the writer as well. */
#include "ecs.h"

#include <stdlib.h>
#include <string.h>

static int log_group(ecs_site *s)
{
    pg_out *out = s->out;
    const char *key = pg_need(s->ctx, s->r, "kms.logs.arn");
    if (!key)
        return -1;
    s->log_group = pg_resource(out, s->r, "aws_cloudwatch_log_group", "ecs",
                               PG_STR("name", pg_printf(out, "/ecs/%s",
                                                        pg_name(out, NULL, "api", 500))),
                               PG_STR("kms_key_id", key),
                               PG_INT("retention_in_days",
                                      strtol(s->cfg->log_retention_days, NULL, 10)),
                               PG_NAME("ecs-logs"));
    return 0;
}

/* The region's own repository (tasks pull through the region's ECR
 * endpoints, so the image must be copied to every active region:
 * ecs_registry.c), and the colour's tag or digest from its variable
 * (ecs.c). */
static const char *image(ecs_site *s, size_t c)
{
    return pg_printf(s->out, "%s.dkr.ecr.%s.amazonaws.com/%s${local.ecs_image_%s}",
                     pg_need(s->ctx, NULL, "aws.account_id"), s->r->name,
                     s->repository_name, ecs_colours[c].name);
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
    pg_local_string(s->out, name, value);
    return pg_printf(s->out, "${local.%s}", name);
}

/* What the container is told of the database, once per region: the
 * values may go through locals (embeddable), which take a name once. */
typedef struct ecs_database {
    const char *user, *writer, *reader, *port;
} ecs_database;

/* The container definitions as the JSON text AWS expects. Interpolations
 * inside it (${...}) are resolved by Terraform's string templates; the
 * values they produce (ARNs, host names, names) need no JSON escaping.
 * The builder fills a detached object (no pg_* call turns items into text);
 * the key order is the text's, so it stays as it is. */
static const char *container_definitions(ecs_site *s, size_t c, const ecs_database *db)
{
    pg_out *out = s->out;
    cJSON *def = cJSON_CreateObject();
    pg_set(out, def,
           PG_STR("name", ECS_CONTAINER),
           PG_STR("image", image(s, c)),
           PG_BOOL("essential", true),
           PG_STR("user", "10001:10001"),
           PG_BOOL("privileged", false),
           PG_BOOL("readonlyRootFilesystem", true),
           PG_BLOCK("portMappings",
                    PG_INT("containerPort", s->port),
                    PG_INT("hostPort", s->port),
                    PG_STR("protocol", "tcp")),
           PG_BLOCK("environment", PG_STR("name", "DB_WRITER_HOST"), PG_STR("value", db->writer)),
           PG_BLOCK("environment", PG_STR("name", "DB_READER_HOST"), PG_STR("value", db->reader)),
           PG_BLOCK("environment", PG_STR("name", "DB_HOST"), PG_STR("value", db->writer)),
           PG_BLOCK("environment", PG_STR("name", "DB_PORT"), PG_STR("value", db->port)),
           PG_BLOCK("environment",
                    PG_STR("name", "PORT"),
                    PG_STR("value", pg_printf(out, "%ld", s->port))),
           PG_BLOCK("environment", PG_STR("name", "AWS_REGION"), PG_STR("value", s->r->name)),
           /* the application user signs in with an IAM token (15 minutes,
            * TLS): no password, and never the master secret */
           PG_BLOCK("environment", PG_STR("name", "DB_USER"), PG_STR("value", db->user)),
           PG_BLOCK("environment", PG_STR("name", "DB_IAM_AUTH"), PG_STR("value", "true")),
           PG_BLOCK("mountPoints",
                    PG_STR("sourceVolume", "tmp"),
                    PG_STR("containerPath", "/tmp"),
                    PG_BOOL("readOnly", false)),
           PG_MAP("linuxParameters",
                  PG_BOOL("initProcessEnabled", true),
                  PG_MAP("capabilities", PG_STRS("drop", "ALL"))),
           PG_MAP("logConfiguration",
                  PG_STR("logDriver", "awslogs"),
                  PG_MAP("options",
                         PG_REF("awslogs-group", s->log_group, "name"),
                         PG_STR("awslogs-region", s->r->name),
                         PG_STR("awslogs-stream-prefix", ecs_colours[c].name))));
    char *text = cJSON_PrintUnformatted(def);
    const char *kept = pg_printf(out, "[%s]", text);
    cJSON_free(text);
    cJSON_Delete(def);
    return kept;
}

int ecs_task(ecs_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const char *execution = pg_need(s->ctx, r, "iam.ecs_execution.arn");
    const char *task_role = pg_need(s->ctx, r, "iam.ecs_task.arn");
    const char *user = pg_need(s->ctx, NULL, "aurora.app_username");
    /* Writes go to the global database's writer endpoint, which follows the
     * writer across a switchover; while there is no global cluster yet (a
     * replica of today's instance), to the region's cluster. */
    const char *writer = pg_lookup(s->ctx, NULL, "aurora.global_writer_endpoint");
    if (!writer)
        writer = pg_need(s->ctx, r, "aurora.writer_endpoint");
    const char *reader = pg_need(s->ctx, r, "aurora.reader_endpoint");
    const char *port = pg_need(s->ctx, NULL, "aurora.port");
    if (!execution || !task_role || !user || !writer || !reader || !port || log_group(s))
        return -1;
    ecs_database db = {
        .user = user,
        .writer = embeddable(s, "db_writer", writer),
        .reader = embeddable(s, "db_reader", reader),
        .port = port,
    };

    for (size_t c = 0; c < 2; c++) {
        const char *family = pg_name(out, NULL, ecs_colours[c].kind, 255);
        if (!*family)
            return -1;
        s->task[c] =
            pg_resource(out, r, "aws_ecs_task_definition", ecs_colours[c].label,
                        PG_STR("family", family),
                        PG_STR("network_mode", "awsvpc"),
                        PG_STRS("requires_compatibilities", "FARGATE"),
                        PG_STR("cpu", pg_printf(out, "%ld", s->cfg->cpu)),
                        PG_STR("memory", pg_printf(out, "%ld", s->cfg->memory)),
                        PG_BLOCK("runtime_platform",
                                 PG_STR("operating_system_family", "LINUX"),
                                 PG_STR("cpu_architecture", s->cfg->cpu_architecture)),
                        PG_STR("execution_role_arn", execution),
                        PG_STR("task_role_arn", task_role),
                        /* A volume without host: task storage, the only writable place. */
                        PG_BLOCK("volume", PG_STR("name", "tmp")),
                        PG_STR("container_definitions", container_definitions(s, c, &db)),
                        PG_NAME(pg_printf(out, "%s-task", ecs_colours[c].kind)));
    }
    return 0;
}
