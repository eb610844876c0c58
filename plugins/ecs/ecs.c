/* SPDX-License-Identifier: Apache-2.0 */
/* ecs - the payment API on ECS Fargate in each active region (R6): cluster
 * with Container Insights, a hardened task definition logging to a
 * KMS-encrypted group, a service registered with both target groups of the
 * region's load balancer (blue/green by listener weights), target-tracking
 * autoscaling, and the permissions of the execution and task roles.
 *
 * Publishes, per region: ecs.cluster_name, ecs.service_name, ecs.log_group_name. */
#include "ecs.h"

#include <stdlib.h>

static void publish(ecs_site *s)
{
    pg_publish_string(s->out, s->r, "ecs.cluster_name", pg_ref(s->out, s->cluster, "name"));
    pg_publish_string(s->out, s->r, "ecs.service_name", pg_ref(s->out, s->service, "name"));
    pg_publish_string(s->out, s->r, "ecs.log_group_name", pg_ref(s->out, s->log_group, "name"));
}

/* Tasks pull from their own region's registry (through its VPC endpoints), so
 * from the migration phase on the primary registry replicates the image
 * repository to every secondary region. */
static void replicate_images(const pg_ctx *ctx, pg_out *out, const ecs_config *cfg)
{
    if (pg_ctx_region_count(ctx) < 2)
        return;
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    cJSON *images = pg_resource(out, pg_ctx_primary(ctx), "aws_ecr_replication_configuration",
                                "images");
    cJSON *rule = pg_block(out, pg_block(out, images, "replication_configuration"), "rule",
                           PG_BLOCK("repository_filter",
                                    PG_STR("filter", cfg->image_repository),
                                    PG_STR("filter_type", "PREFIX_MATCH")));
    for (size_t i = 1; i < pg_ctx_region_count(ctx); i++)
        pg_block(out, rule, "destination",
                 PG_STR("region", pg_ctx_region(ctx, i)->name),
                 PG_STR("registry_id", account));
}

/* The container port is the one the balancer's target groups send to. */
static long container_port(const pg_ctx *ctx, pg_out *out)
{
    const char *text = pg_need(ctx, NULL, "alb.target_port");
    if (!text)
        return -1;
    char *end;
    long port = strtol(text, &end, 10);
    if (*end || port < 1 || port > 65535) {
        pg_error(out, "alb.target_port '%s' is not a port number", text);
        return -1;
    }
    return port;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const ecs_config *cfg = pg_config(ctx);
    long port = container_port(ctx, out);
    if (ecs_check_settings(cfg, out) || port < 0)
        return -1;
    replicate_images(ctx, out, cfg);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        ecs_site s = {.ctx = ctx, .out = out, .r = pg_ctx_region(ctx, i), .cfg = cfg, .port = port};
        if (ecs_task(&s) || ecs_permissions(&s) || ecs_service(&s) || ecs_scaling(&s))
            return -1;
        publish(&s);
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"ecs.cluster_name", PG_REGIONAL, PG_KIND_STRING},
    {"ecs.service_name", PG_REGIONAL, PG_KIND_STRING},
    {"ecs.log_group_name", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"vpc", "kms", "iam", "alb", "aurora", "storage", NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("compute.image_repository", ecs_config, image_repository, "payment-api",
                      "ECR repository of the application image, in the account, replicated to "
                      "every region"),
    PG_SETTING_STRING("compute.image_tag", ecs_config, image_tag, "1.0.0",
                      "image tag to run (ignored when compute.image_digest is set)"),
    PG_SETTING_STRING("compute.image_digest", ecs_config, image_digest, "",
                      "sha256:... digest that pins the image; empty runs the tag"),
    PG_SETTING_INT("compute.cpu", ecs_config, cpu, "512", 256, 16384,
                   "task CPU units (a Fargate size)"),
    PG_SETTING_INT("compute.memory", ecs_config, memory, "1024", 512, 122880,
                   "task memory in MiB (valid for compute.cpu on Fargate)"),
    PG_SETTING_CHOICE("compute.cpu_architecture", ecs_config, cpu_architecture, "X86_64",
                      "X86_64|ARM64", "CPU architecture of the image and the tasks"),
    /* The CloudWatch Logs retention periods of a year or more. */
    PG_SETTING_CHOICE("compute.log_retention_days", ecs_config, log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "days the task log group keeps events (PCI DSS 10.5.1: at least a year)"),
    PG_SETTING_INT("compute.min_tasks", ecs_config, min_tasks, "2", 1, 1000,
                   "default of the desired_count_<region> variable: the fewest tasks a region "
                   "runs"),
    PG_SETTING_INT("compute.max_tasks", ecs_config, max_tasks, "10", 1, 1000,
                   "the most tasks autoscaling starts per region"),
    PG_SETTING_INT("compute.cpu_target_percent", ecs_config, cpu_target_percent, "60", 10, 90,
                   "average CPU utilisation autoscaling keeps the service at"),
    PG_SETTING_INT("compute.requests_per_target", ecs_config, requests_per_target, "1000", 10,
                   100000, "requests per task and minute autoscaling keeps each target group at"),
    PG_SETTING_INT("compute.health_check_grace_seconds", ecs_config, health_check_grace_seconds,
                   "60", 0, 7200,
                   "seconds a new task may fail load balancer health checks while it starts"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("ecs", "1.0.0", "Apache-2.0",
                 "ECS Fargate payment API per region, blue/green behind the ALB, autoscaled",
                 publishes, needs, settings, sizeof(ecs_config), contribute)
