/* SPDX-License-Identifier: Apache-2.0 */
/* ecs - the payment API on ECS Fargate in each active region (R6): cluster
 * with Container Insights and, per colour (blue, green), a service with its
 * own hardened task definition and image variable, registered in its own
 * target group of the region's load balancer, with its own target-tracking
 * autoscaling. The balancer's weights choose the colour that takes the
 * requests (plugins/alb); a new release goes to the other one first
 * (docs/deploy.md). Tasks log to a KMS-encrypted group; the execution and
 * task roles get their permissions here. Each region has its own image
 * repository, and a service starts only once its image is in it
 * (ecs_registry.c).
 *
 * Publishes, per region: ecs.cluster_name, ecs.service_name (the active
 * colour's service, as an expression that follows active_color),
 * ecs.service.{blue,green}.name, ecs.log_group_name. */
#include "ecs.h"

#include <stdlib.h>
#include <string.h>

const ecs_colour ecs_colours[2] = {{"blue", "api", "api"}, {"green", "api_green", "api-green"}};

const char *ecs_expression(ecs_site *s, const char *key, const char *value)
{
    size_t n = strlen(value);
    if (n > 3 && !strncmp(value, "${", 2) && !strstr(value + 2, "${") &&
        strchr(value + 2, '}') == value + n - 1)
        return pg_printf(s->out, "%.*s", (int)(n - 3), value + 2);
    pg_error(s->out, "%s '%s' is not a single Terraform interpolation", key, value);
    return NULL;
}

static int publish(ecs_site *s)
{
    pg_out *out = s->out;
    const char *active = pg_need(s->ctx, NULL, "alb.active_color");
    if (!active || !(active = ecs_expression(s, "alb.active_color", active)))
        return -1;
    /* Alarms on "the service" watch the colour that takes the traffic. */
    const char *local = pg_printf(out, "ecs_active_service_%s", s->r->code);
    pg_local_string(out, local,
                    pg_printf(out, "${%s == \"green\" ? %s.name : %s.name}", active,
                              pg_address(out, s->service[1]), pg_address(out, s->service[0])));
    pg_publish_string(out, s->r, "ecs.cluster_name", pg_ref(out, s->cluster, "name"));
    pg_publish_string(out, s->r, "ecs.service_name", pg_printf(out, "${local.%s}", local));
    for (size_t c = 0; c < 2; c++)
        pg_publish_string(out, s->r, pg_printf(out, "ecs.service.%s.name", ecs_colours[c].name),
                          pg_ref(out, s->service[c], "name"));
    pg_publish_string(out, s->r, "ecs.log_group_name", pg_ref(out, s->log_group, "name"));
    return 0;
}

/* The release each colour runs: image_<colour>, a tag or a digest, both by
 * default the profile's image. Changing one redeploys that colour only. The
 * local puts ":" before a tag and "@" before a digest. */
static void image_variables(pg_out *out, const ecs_config *cfg, const char *repository)
{
    const char *image = *cfg->image_digest ? cfg->image_digest : cfg->image_tag;
    for (size_t c = 0; c < 2; c++) {
        const char *colour = ecs_colours[c].name;
        const char *name = pg_printf(out, "image_%s", colour);
        pg_variable(out, name, "string",
                    pg_printf(out,
                              "Image tag or sha256 digest of %s that the %s services run",
                              repository, colour),
                    PG_STR("default", image),
                    /* Docker's tag grammar, or a sha256 digest. */
                    PG_BLOCK("validation",
                             PG_STR("condition",
                                    pg_printf(out,
                                              "${can(regex(\"^(sha256:[0-9a-f]{64}|"
                                              "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$\", var.%s))}",
                                              name)),
                             PG_STR("error_message",
                                    pg_printf(out,
                                              "The %s must be an image tag or sha256: and 64 hex "
                                              "digits; it must not be empty.",
                                              name))));
        pg_local_string(out, pg_printf(out, "ecs_image_%s", colour),
                        pg_printf(out,
                                  "${startswith(var.%s, \"sha256:\") ? \"@\" : \":\"}${var.%s}",
                                  name, name));
    }
}

/* idle_color_tasks: the fewest tasks of a colour that takes no requests. By
 * default the same floor as the active colour, so that rolling back (one
 * variable) lands on tasks that are already running; lower it to save cost
 * once a release has proven itself, and raise it again before a switch. */
static void idle_variable(pg_out *out, const ecs_config *cfg)
{
    long max = cfg->max_tasks;
    pg_variable(out, "idle_color_tasks", "number",
                pg_printf(out,
                          "Fewest payment API tasks of the colour that takes no requests, in "
                          "every region (0 to %ld)",
                          max),
                PG_INT("default", cfg->min_tasks),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                pg_printf(out,
                                          "${var.idle_color_tasks >= 0 && var.idle_color_tasks <= "
                                          "%ld && floor(var.idle_color_tasks) == "
                                          "var.idle_color_tasks}",
                                          max)),
                         PG_STR("error_message",
                                pg_printf(out,
                                          "The idle_color_tasks must be a whole number from 0 to "
                                          "%ld.",
                                          max))));
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
    /* payment-api-<environment>-<suffix>: one per environment, so that a
     * rehearsal in the same account never shares production's repository. */
    const char *repository =
        *cfg->image_repository ? cfg->image_repository : pg_name(out, NULL, "api", 256);
    if (!*repository)
        return -1;
    image_variables(out, cfg, repository);
    idle_variable(out, cfg);
    cJSON *primary_image[2] = {NULL, NULL};
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        ecs_site s = {.ctx = ctx, .out = out, .r = pg_ctx_region(ctx, i), .cfg = cfg,
                      .repository_name = repository, .port = port, .primary_image = primary_image};
        if (ecs_registry(&s))
            return -1;
        if (s.r->primary)
            primary_image[0] = s.image[0], primary_image[1] = s.image[1];
        if (ecs_task(&s) || ecs_permissions(&s) || ecs_service(&s) || ecs_scaling(&s) ||
            publish(&s))
            return -1;
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"ecs.cluster_name", PG_REGIONAL, PG_KIND_STRING},
    {"ecs.service_name", PG_REGIONAL, PG_KIND_STRING},
    {"ecs.service.*.name", PG_REGIONAL, PG_KIND_STRING},
    {"ecs.log_group_name", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"vpc", "kms", "iam", "alb", "aurora", "storage", NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("compute.image_repository", ecs_config, image_repository, "",
                      "name of the ECR repository the stack creates in every active region for "
                      "the application image (empty: payment-api-<environment>-<suffix>)"),
    PG_SETTING_STRING("compute.image_tag", ecs_config, image_tag, "1.0.0",
                      "image tag to run (ignored when compute.image_digest is set)"),
    PG_SETTING_STRING("compute.image_digest", ecs_config, image_digest, "",
                      "sha256:... digest that pins the image; empty runs the tag"),
    PG_SETTING_INT("compute.image_keep_count", ecs_config, image_keep_count, "30", 1, 10000,
                   "tagged images each region's repository keeps, the newest by push; older ones "
                   "expire (keep every release a colour may still run)"),
    PG_SETTING_INT("compute.image_untagged_days", ecs_config, image_untagged_days, "7", 0, 3650,
                   "days after its push an untagged image expires (0: never)"),
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
                 "ECS Fargate payment API per region: a blue and a green service behind the ALB, "
                 "each autoscaled",
                 publishes, needs, settings, sizeof(ecs_config), contribute)
