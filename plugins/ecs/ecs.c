/* ecs - the payment API on ECS Fargate in each active region (R6): cluster
 * with Container Insights, a hardened task definition logging to a
 * KMS-encrypted group, a service registered with both target groups of the
 * region's load balancer (blue/green by listener weights), target-tracking
 * autoscaling, and the permissions of the execution and task roles.
 *
 * Publishes, per region: ecs.cluster_name, ecs.service_name, ecs.log_group_name. */
#include "ecs.h"

#include <ctype.h>
#include <string.h>

const char *ecs_need(ecs_site *s, const pg_region *r, const char *name)
{
    const char *v = pg_lookup_string(s->ctx, r, name);
    if (!v)
        pg_error(s->out, "reference '%s' is missing%s%s", name, r ? " in " : "", r ? r->name : "");
    return v;
}

cJSON *ecs_block(cJSON *parent, const char *key)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!list)
        list = cJSON_AddArrayToObject(parent, key);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddItemToArray(list, item);
    return item;
}

/* Memory sizes (MiB) Fargate accepts for a CPU size: from..to by step
 * (256 CPU units are special: 512, 1024 or 2048). */
static const struct {
    long cpu, from, to, step;
} fargate_sizes[] = {
    {512, 1024, 4096, 1024},   {1024, 2048, 8192, 1024},   {2048, 4096, 16384, 1024},
    {4096, 8192, 30720, 1024}, {8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192},
};

static bool fargate_size_ok(long cpu, long memory)
{
    if (cpu == 256)
        return memory == 512 || memory == 1024 || memory == 2048;
    for (size_t i = 0; i < sizeof fargate_sizes / sizeof *fargate_sizes; i++)
        if (fargate_sizes[i].cpu == cpu)
            return memory >= fargate_sizes[i].from && memory <= fargate_sizes[i].to &&
                   (memory - fargate_sizes[i].from) % fargate_sizes[i].step == 0;
    return false;
}

static bool all_of(const char *s, const char *extra, bool lower_only)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(isdigit(c) || (islower(c) && isalpha(c)) || (!lower_only && isupper(c)) ||
              strchr(extra, c)))
            return false;
    }
    return true;
}

int ecs_check_settings(const pg_ctx *ctx, pg_out *out)
{
    static const long retentions[] = {365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
    long cpu = pg_ctx_int(ctx, "compute.cpu"), memory = pg_ctx_int(ctx, "compute.memory");
    long retention = pg_ctx_int(ctx, "compute.log_retention_days");
    const char *arch = pg_ctx_string(ctx, "compute.cpu_architecture");
    const char *repo = pg_ctx_string(ctx, "compute.image_repository");
    const char *tag = pg_ctx_string(ctx, "compute.image_tag");
    const char *digest = pg_ctx_string(ctx, "compute.image_digest");
    bool retention_ok = false;
    int rc = 0;

    if (!fargate_size_ok(cpu, memory)) {
        pg_error(out,
                 "compute.cpu = %ld with compute.memory = %ld is not a Fargate task size "
                 "(e.g. 256/512-2048, 512/1024-4096, 1024/2048-8192, 2048/4096-16384 MiB)",
                 cpu, memory);
        rc = -1;
    }
    for (size_t i = 0; i < sizeof retentions / sizeof *retentions; i++)
        retention_ok |= retentions[i] == retention;
    if (!retention_ok) {
        pg_error(out,
                 "compute.log_retention_days = %ld is not a CloudWatch Logs retention of at "
                 "least a year (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
                 retention);
        rc = -1;
    }
    if (!arch || (strcmp(arch, "X86_64") && strcmp(arch, "ARM64"))) {
        pg_error(out, "compute.cpu_architecture '%s' must be X86_64 or ARM64", arch ? arch : "");
        rc = -1;
    }
    if (!all_of(repo, "._-/", true) || strlen(repo) > 256) {
        pg_error(out, "compute.image_repository '%s' is not an ECR repository name",
                 repo ? repo : "");
        rc = -1;
    }
    if (!all_of(tag, "._-", false) || strlen(tag) > 128) {
        pg_error(out, "compute.image_tag '%s' is not an image tag", tag ? tag : "");
        rc = -1;
    }
    if (digest && *digest &&
        (strncmp(digest, "sha256:", 7) || strlen(digest) != 71 || !all_of(digest + 7, "", true) ||
         strspn(digest + 7, "0123456789abcdef") != 64)) {
        pg_error(out, "compute.image_digest '%s' must be sha256: and 64 hex digits", digest);
        rc = -1;
    }
    if (pg_ctx_int(ctx, "compute.min_tasks") > pg_ctx_int(ctx, "compute.max_tasks")) {
        pg_error(out, "compute.min_tasks = %ld is above compute.max_tasks = %ld",
                 pg_ctx_int(ctx, "compute.min_tasks"), pg_ctx_int(ctx, "compute.max_tasks"));
        rc = -1;
    }
    return rc;
}

/* The region's own registry: tasks pull through the region's ECR endpoints,
 * so the image must be replicated to every active region. */
const char *ecs_image(ecs_site *s)
{
    const char *digest = pg_ctx_string(s->ctx, "compute.image_digest");
    const char *registry = pg_printf(s->out, "%s.dkr.ecr.%s.amazonaws.com",
                                     pg_lookup_string(s->ctx, NULL, "aws.account_id"), s->r->name);
    const char *repo = pg_ctx_string(s->ctx, "compute.image_repository");
    if (digest && *digest)
        return pg_printf(s->out, "%s/%s@%s", registry, repo, digest);
    return pg_printf(s->out, "%s/%s:%s", registry, repo,
                     pg_ctx_string(s->ctx, "compute.image_tag"));
}

const char *ecs_repository_arn(ecs_site *s)
{
    return pg_printf(s->out, "arn:%s:ecr:%s:%s:repository/%s",
                     pg_lookup_string(s->ctx, NULL, "aws.partition"), s->r->name,
                     pg_lookup_string(s->ctx, NULL, "aws.account_id"),
                     pg_ctx_string(s->ctx, "compute.image_repository"));
}

static void publish(ecs_site *s)
{
    pg_publish_string(s->out, s->r, "ecs.cluster_name", pg_ref(s->out, s->cluster, "name"));
    pg_publish_string(s->out, s->r, "ecs.service_name", pg_ref(s->out, s->service, "name"));
    pg_publish_string(s->out, s->r, "ecs.log_group_name", pg_ref(s->out, s->log_group, "name"));
}

/* Tasks pull from their own region's registry (through its VPC endpoints), so
 * from the migration phase on the primary registry replicates the image
 * repository to every secondary region. */
static void replicate_images(const pg_ctx *ctx, pg_out *out)
{
    if (pg_ctx_region_count(ctx) < 2)
        return;
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    cJSON *rc = pg_resource(out, pg_ctx_primary(ctx), "aws_ecr_replication_configuration", "images");
    cJSON *rule = cJSON_CreateObject();
    cJSON *destinations = cJSON_AddArrayToObject(rule, "destination");
    for (size_t i = 1; i < pg_ctx_region_count(ctx); i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "region", pg_ctx_region(ctx, i)->name);
        cJSON_AddStringToObject(d, "registry_id", account);
        cJSON_AddItemToArray(destinations, d);
    }
    cJSON *filter = cJSON_CreateObject();
    cJSON_AddStringToObject(filter, "filter", pg_ctx_string(ctx, "compute.image_repository"));
    cJSON_AddStringToObject(filter, "filter_type", "PREFIX_MATCH");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "repository_filter"), filter);
    cJSON *config = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(config, "rule"), rule);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rc, "replication_configuration"), config);
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (ecs_check_settings(ctx, out))
        return -1;
    replicate_images(ctx, out);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        ecs_site s = {.ctx = ctx,
                      .out = out,
                      .r = pg_ctx_region(ctx, i),
                      .port = pg_ctx_int(ctx, "compute.container_port")};
        if (ecs_task(&s) || ecs_permissions(&s) || ecs_service(&s) || ecs_scaling(&s))
            return -1;
        publish(&s);
    }
    return 0;
}

static const char *const provides[] = {"ecs", NULL};
static const char *const needs[] = {"vpc", "kms", "iam", "alb", "aurora", "storage", NULL};
static const pg_setting settings[] = {
    {"compute.image_repository", PG_SETTING_STRING, "payment-api", 0, 0,
     "ECR repository of the application image, in the account, replicated to every region"},
    {"compute.image_tag", PG_SETTING_STRING, "1.0.0", 0, 0,
     "image tag to run (ignored when compute.image_digest is set)"},
    {"compute.image_digest", PG_SETTING_STRING, "", 0, 0,
     "sha256:... digest that pins the image; empty runs the tag"},
    {"compute.cpu", PG_SETTING_INT, "512", 256, 16384, "task CPU units (a Fargate size)"},
    {"compute.memory", PG_SETTING_INT, "1024", 512, 122880,
     "task memory in MiB (valid for compute.cpu on Fargate)"},
    {"compute.cpu_architecture", PG_SETTING_STRING, "X86_64", 0, 0, "X86_64 or ARM64"},
    {"compute.log_retention_days", PG_SETTING_INT, "365", 365, 3653,
     "days the task log group keeps events (PCI DSS 10.5.1: at least a year)"},
    {"compute.min_tasks", PG_SETTING_INT, "2", 1, 1000,
     "default of the desired_count_<region> variable: the fewest tasks a region runs"},
    {"compute.max_tasks", PG_SETTING_INT, "10", 1, 1000,
     "the most tasks autoscaling starts per region"},
    {"compute.cpu_target_percent", PG_SETTING_INT, "60", 10, 90,
     "average CPU utilisation autoscaling keeps the service at"},
    {"compute.requests_per_target", PG_SETTING_INT, "1000", 10, 100000,
     "requests per task and minute autoscaling keeps each target group at"},
    {"compute.health_check_grace_seconds", PG_SETTING_INT, "60", 0, 7200,
     "seconds a new task may fail load balancer health checks while it starts"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("ecs", "1.0.0",
                 "ECS Fargate payment API per region, blue/green behind the ALB, autoscaled",
                 provides, needs, settings, contribute)
