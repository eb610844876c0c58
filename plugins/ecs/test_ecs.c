/* SPDX-License-Identifier: Apache-2.0 */
/* ECS plugin: per active region a blue and a green Fargate service, each
 * with its own task definition, image variable, target group and
 * autoscaling; hardened containers told the writer and reader endpoints;
 * least-privilege permissions of the execution and task roles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static const char *const codes[] = {"use1", "use2"};
/* By colour: resource labels, and the name kind ("payment-<kind>-..."). */
static const char *const colours[] = {"blue", "green"};
static const char *const labels[] = {"api", "api_green"};
static const char *const kinds[] = {"api", "api-green"};

static const cJSON *doc(const th_run *r, const char *prefix, const char *code)
{
    char label[128];
    snprintf(label, sizeof label, "%s_%s", prefix, code);
    return th_data(r, "payment", "aws_iam_policy_document", label);
}

static const cJSON *top(const th_run *r, const char *path)
{
    return th_path(th_stack(r, "payment"), path);
}

static const char *ref(const char *type, const char *prefix, const char *code, const char *attr)
{
    static char buf[4][160];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "${%s.%s_%s.%s}", type, prefix, code, attr);
    return b;
}

/* The container definitions of a region's task of a colour (0 blue, 1
 * green), parsed; cJSON_Delete it. */
static cJSON *containers_of(const th_run *r, size_t colour, const char *code)
{
    const char *text = th_str(th_regional(r, "aws_ecs_task_definition", labels[colour], code),
                              "container_definitions");
    return text ? cJSON_Parse(text) : NULL;
}

/* The value of the container's environment variable name; NULL if absent. */
static const char *env_value(const cJSON *container, const char *name)
{
    const cJSON *env;
    cJSON_ArrayForEach (env, th_path(container, "environment"))
        if (!strcmp(th_str(env, "name"), name))
            return th_str(env, "value");
    return NULL;
}

static void test_cluster_and_service_in_both_regions_from_migration_on(void)
{
    const char *profiles[] = {"profiles/migration.yaml", "profiles/production.yaml"};
    for (size_t p = 0; p < 2; p++) {
        th_run *r = th_generate(profiles[p], NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_cluster"), 2);
        /* two services, two task definitions per region: blue and green */
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_service"), 4);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_task_definition"), 4);
        for (size_t i = 0; i < 2; i++) {
            const cJSON *c = th_regional(r, "aws_ecs_cluster", "main", codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(c);
            CU_ASSERT_STRING_EQUAL(th_str(c, "name"), "payment-ecs-production-abc123");
            CU_ASSERT_STRING_EQUAL(th_str(c, "setting.0.name"), "containerInsights");
            CU_ASSERT_STRING_EQUAL(th_str(c, "setting.0.value"), "enabled");
        }
        for (size_t c = 0; c < 2; c++) {
            TH_ASSERT_STR(th_regional(r, "aws_ecs_service", labels[c], "use2"), "provider",
                          "aws.use2");
            CU_ASSERT_PTR_NULL(
                th_path(th_regional(r, "aws_ecs_service", labels[c], "use1"), "provider"));
        }
        th_free(r);
    }
}

static void test_legacy_runs_the_primary_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_cluster"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_service"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_task_definition"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_appautoscaling_target"), 2);
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_ecs_service", "api", "use1"));
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_ecs_service", "api_green", "use1"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_ecs_service", "api", "use2"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_ecs_service", "api_green", "use2"));
    CU_ASSERT_PTR_NOT_NULL(top(r, "variable.desired_count_use1"));
    CU_ASSERT_PTR_NULL(top(r, "variable.desired_count_use2"));
    th_free(r);
}

static void test_task_definition_is_fargate_with_separate_roles(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        for (size_t c = 0; c < 2; c++) {
            const cJSON *td = th_regional(r, "aws_ecs_task_definition", labels[c], codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(td);
            char family[64];
            snprintf(family, sizeof family, "payment-%s-production-abc123", kinds[c]);
            CU_ASSERT_STRING_EQUAL(th_str(td, "family"), family);
            CU_ASSERT_STRING_EQUAL(th_str(td, "network_mode"), "awsvpc");
            CU_ASSERT_STRING_EQUAL(th_str(td, "requires_compatibilities.0"), "FARGATE");
            CU_ASSERT_STRING_EQUAL(th_str(td, "cpu"), "512");
            CU_ASSERT_STRING_EQUAL(th_str(td, "memory"), "1024");
            TH_ASSERT_STR(td, "runtime_platform.0.operating_system_family", "LINUX");
            CU_ASSERT_STRING_EQUAL(th_str(td, "runtime_platform.0.cpu_architecture"), "X86_64");
            /* the roles the iam plugin made for this region, and not the same one */
            const cJSON *exec = th_target(r, th_str(td, "execution_role_arn"));
            const cJSON *task = th_target(r, th_str(td, "task_role_arn"));
            CU_ASSERT_PTR_NOT_NULL(exec);
            CU_ASSERT_PTR_NOT_NULL(task);
            CU_ASSERT_NOT_EQUAL(exec, task);
            CU_ASSERT_PTR_NOT_NULL(strstr(th_str(td, "execution_role_arn"), "aws_iam_role."));
            CU_ASSERT_PTR_NOT_NULL(strstr(th_str(td, "execution_role_arn"), codes[i]));
            CU_ASSERT_STRING_EQUAL(th_str(td, "volume.0.name"), "tmp");

            const cJSON *lg = th_regional(r, "aws_cloudwatch_log_group", "ecs", codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(lg);
            CU_ASSERT_STRING_EQUAL(th_str(lg, "kms_key_id"),
                                   ref("aws_kms_key", "logs", codes[i], "arn"));
            CU_ASSERT_EQUAL(th_num(lg, "retention_in_days"), 365);
        }
    }
    th_free(r);
}

static void test_container_is_hardened_and_reads_the_secret_by_reference(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        for (size_t k = 0; k < 2; k++) {
            cJSON *defs = containers_of(r, k, codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(defs);
            CU_ASSERT_EQUAL(cJSON_GetArraySize(defs), 1);
            const cJSON *c = cJSON_GetArrayItem(defs, 0);
            CU_ASSERT_STRING_EQUAL(th_str(c, "name"), "payment-api");
            CU_ASSERT_EQUAL(th_bool(c, "essential"), 1);
            CU_ASSERT_EQUAL(th_bool(c, "readonlyRootFilesystem"), 1);
            CU_ASSERT_EQUAL(th_bool(c, "privileged"), 0);
            CU_ASSERT_STRING_EQUAL(th_str(c, "user"), "10001:10001");
            CU_ASSERT_EQUAL(th_bool(c, "linuxParameters.initProcessEnabled"), 1);
            CU_ASSERT_STRING_EQUAL(th_str(c, "linuxParameters.capabilities.drop.0"), "ALL");
            CU_ASSERT_STRING_EQUAL(th_str(c, "mountPoints.0.containerPath"), "/tmp");
            CU_ASSERT_STRING_EQUAL(th_str(c, "mountPoints.0.sourceVolume"), "tmp");
            CU_ASSERT_EQUAL(th_num(c, "portMappings.0.containerPort"), 8443);

            /* the region's registry, the colour's own tag or digest */
            char expect[192];
            snprintf(expect, sizeof expect,
                     "${data.aws_caller_identity.current.account_id}.dkr.ecr.%s.amazonaws.com/"
                     "payment-api-production-abc123${local.ecs_image_%s}",
                     i ? "us-east-2" : "us-east-1", colours[k]);
            CU_ASSERT_STRING_EQUAL(th_str(c, "image"), expect);

            CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.logDriver"), "awslogs");
            CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.options.awslogs-group"),
                                   ref("aws_cloudwatch_log_group", "ecs", codes[i], "name"));
            CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.options.awslogs-region"),
                                   i ? "us-east-2" : "us-east-1");
            /* each colour's streams apart in the one group */
            CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.options.awslogs-stream-prefix"),
                                   colours[k]);

            /* no secret at all: the application user signs in with IAM */
            CU_ASSERT_PTR_NULL(th_path(c, "secrets"));
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_USER"), "payment_app");
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_IAM_AUTH"), "true");
            /* the execution role reads no secret; the task role may connect as
             * that user to every region's cluster (the writer may be in either) */
            const cJSON *exec = doc(r, "ecs_execution_permissions", codes[i]);
            CU_ASSERT_PTR_NULL(th_statement(exec, "DatabaseSecret"));
            const cJSON *connect = th_statement(doc(r, "ecs_task_permissions", codes[i]),
                                                "DatabaseConnect");
            CU_ASSERT_PTR_NOT_NULL_FATAL(connect);
            CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(connect, "resources")), 2);
            CU_ASSERT_STRING_EQUAL(
                th_str(connect, "resources.1"),
                "arn:${data.aws_partition.current.partition}:rds-db:us-east-2:"
                "${data.aws_caller_identity.current.account_id}:dbuser:"
                "${aws_rds_cluster.main_use2.cluster_resource_id}/payment_app");

            /* no secret in plain environment */
            const cJSON *env;
            cJSON_ArrayForEach (env, th_path(c, "environment")) {
                const char *name = th_str(env, "name");
                CU_ASSERT_PTR_NULL(strstr(name, "SECRET"));
                CU_ASSERT_PTR_NULL(strstr(name, "PASSWORD"));
            }
            /* writes to the global writer endpoint, reads from the region's reader
             * endpoint; DB_HOST (read by releases before the split) = writer */
            TH_ASSERT_STR(c, "environment.0.name", "DB_WRITER_HOST");
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_WRITER_HOST"),
                                   "${aws_rds_global_cluster.main.endpoint}");
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_READER_HOST"),
                                   ref("aws_rds_cluster", "main", codes[i], "reader_endpoint"));
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_HOST"), env_value(c, "DB_WRITER_HOST"));
            CU_ASSERT_STRING_EQUAL(env_value(c, "DB_PORT"), "5432");
            CU_ASSERT_STRING_EQUAL(env_value(c, "AWS_REGION"), i ? "us-east-2" : "us-east-1");
            cJSON_Delete(defs);
        }
    }
    th_free(r);
}

static void test_each_colour_runs_privately_behind_its_own_target_group(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const char *code = codes[i];
        const char *sg = NULL;
        for (size_t c = 0; c < 2; c++) {
            const cJSON *s = th_regional(r, "aws_ecs_service", labels[c], code);
            CU_ASSERT_PTR_NOT_NULL_FATAL(s);
            /* blue keeps the name of the single service it replaces */
            char name[64];
            snprintf(name, sizeof name, "payment-%s-production-abc123", kinds[c]);
            CU_ASSERT_STRING_EQUAL(th_str(s, "name"), name);
            CU_ASSERT_STRING_EQUAL(th_str(s, "launch_type"), "FARGATE");
            CU_ASSERT_STRING_EQUAL(th_str(s, "platform_version"), "1.4.0");
            CU_ASSERT_STRING_EQUAL(th_str(s, "cluster"),
                                   ref("aws_ecs_cluster", "main", code, "arn"));
            /* its own task definition */
            CU_ASSERT_STRING_EQUAL(th_str(s, "task_definition"),
                                   ref("aws_ecs_task_definition", labels[c], code, "arn"));
            CU_ASSERT_EQUAL(th_bool(s, "network_configuration.0.assign_public_ip"), 0);
            CU_ASSERT_EQUAL(th_bool(s, "enable_execute_command"), 0);
            CU_ASSERT_STRING_EQUAL(th_str(s, "propagate_tags"), "SERVICE");

            /* app subnets: not the balancer's, in the same VPC as the app group */
            sg = th_str(s, "network_configuration.0.security_groups.0");
            const cJSON *app_sg = th_target(r, sg);
            CU_ASSERT_PTR_NOT_NULL_FATAL(app_sg);
            CU_ASSERT_EQUAL(
                cJSON_GetArraySize(th_path(s, "network_configuration.0.security_groups")), 1);
            const cJSON *alb_egress =
                th_regional(r, "aws_vpc_security_group_egress_rule", "alb_to_app", code);
            CU_ASSERT_STRING_EQUAL(th_str(alb_egress, "referenced_security_group_id"), sg);
            const cJSON *subnets = th_path(s, "network_configuration.0.subnets");
            const cJSON *public = th_path(th_regional(r, "aws_lb", "main", code), "subnets");
            CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(subnets), 3);
            const cJSON *id, *pub;
            cJSON_ArrayForEach (id, subnets) {
                const cJSON *subnet = th_target(r, id->valuestring);
                CU_ASSERT_PTR_NOT_NULL_FATAL(subnet);
                CU_ASSERT_STRING_EQUAL(th_str(subnet, "vpc_id"), th_str(app_sg, "vpc_id"));
                CU_ASSERT_NOT_EQUAL(th_bool(subnet, "map_public_ip_on_launch"), 1);
                cJSON_ArrayForEach (pub, public)
                    CU_ASSERT_STRING_NOT_EQUAL(pub->valuestring, id->valuestring);
            }

            /* registered in its own colour's target group, and only there */
            const cJSON *lbs = th_path(s, "load_balancer");
            CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(lbs), 1);
            CU_ASSERT_STRING_EQUAL(th_str(lbs, "0.target_group_arn"),
                                   ref("aws_lb_target_group", colours[c], code, "arn"));
            CU_ASSERT_STRING_EQUAL(th_str(lbs, "0.container_name"), "payment-api");
            CU_ASSERT_EQUAL(th_num(lbs, "0.container_port"), 8443);

            CU_ASSERT_EQUAL(th_bool(s, "deployment_circuit_breaker.0.enable"), 1);
            CU_ASSERT_EQUAL(th_bool(s, "deployment_circuit_breaker.0.rollback"), 1);
            CU_ASSERT_EQUAL(th_num(s, "deployment_minimum_healthy_percent"), 100);
            CU_ASSERT_EQUAL(th_num(s, "deployment_maximum_percent"), 200);
            CU_ASSERT_EQUAL(th_num(s, "health_check_grace_period_seconds"), 60);
            char floor[64];
            snprintf(floor, sizeof floor, "${local.ecs_tasks_%s_%s}", colours[c], code);
            CU_ASSERT_STRING_EQUAL(th_str(s, "desired_count"), floor);
            CU_ASSERT_STRING_EQUAL(th_str(s, "lifecycle.ignore_changes.0"), "desired_count");
            char listener[64];
            snprintf(listener, sizeof listener, "aws_lb_listener.https_%s", code);
            CU_ASSERT_STRING_EQUAL(th_str(s, "depends_on.0"), listener);
        }

        /* the app tier admits the balancer's group on the container port */
        const cJSON *in =
            th_regional(r, "aws_vpc_security_group_ingress_rule", "app_from_alb", code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        CU_ASSERT_STRING_EQUAL(th_str(in, "security_group_id"), sg);
        CU_ASSERT_STRING_EQUAL(th_str(in, "referenced_security_group_id"),
                               ref("aws_security_group", "alb", code, "id"));
        CU_ASSERT_EQUAL(th_num(in, "from_port"), 8443);
        CU_ASSERT_EQUAL(th_num(in, "to_port"), 8443);
        CU_ASSERT_PTR_NULL(th_path(in, "cidr_ipv4"));
    }
    th_free(r);
}

/* A colour the listener sends any requests keeps the region's floor; the
 * other one idle_color_tasks, by default the same (rollback lands on
 * running tasks). */
static void test_colour_floors_follow_the_weights(void)
{
    const char *sets[] = {"compute.min_tasks=3", "compute.max_tasks=12", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *locals = top(r, "locals");
    for (size_t i = 0; i < 2; i++)
        for (size_t c = 0; c < 2; c++) {
            char name[64], expect[160];
            snprintf(name, sizeof name, "ecs_tasks_%s_%s", colours[c], codes[i]);
            snprintf(expect, sizeof expect,
                     "${local.alb_weight_%s > 0 ? var.desired_count_%s : var.idle_color_tasks}",
                     colours[c], codes[i]);
            TH_ASSERT_STR(locals, name, expect);
        }
    const cJSON *idle = top(r, "variable.idle_color_tasks");
    CU_ASSERT_PTR_NOT_NULL_FATAL(idle);
    TH_ASSERT_STR(idle, "type", "number");
    CU_ASSERT_EQUAL(th_num(idle, "default"), 3);
    TH_ASSERT_STR(idle, "validation.0.condition",
                  "${var.idle_color_tasks >= 0 && var.idle_color_tasks <= 12 && "
                  "floor(var.idle_color_tasks) == var.idle_color_tasks}");
    /* the weights are the balancer's */
    TH_ASSERT_STR(locals, "alb_weight_green", "${100 - local.alb_weight_blue}");
    th_free(r);
}

/* Each colour runs its own release: image_blue and image_green, the
 * profile's image by default, a tag or a digest. */
static void test_each_colour_has_its_own_image_variable(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *locals = top(r, "locals");
    for (size_t c = 0; c < 2; c++) {
        char path[64], expect[200];
        snprintf(path, sizeof path, "variable.image_%s", colours[c]);
        const cJSON *v = top(r, path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        TH_ASSERT_STR(v, "type", "string");
        TH_ASSERT_STR(v, "default", "1.0.0");
        snprintf(expect, sizeof expect,
                 "${can(regex(\"^(sha256:[0-9a-f]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$\", "
                 "var.image_%s))}",
                 colours[c]);
        TH_ASSERT_STR(v, "validation.0.condition", expect);
        snprintf(path, sizeof path, "ecs_image_%s", colours[c]);
        snprintf(expect, sizeof expect,
                 "${startswith(var.image_%s, \"sha256:\") ? \"@\" : \":\"}${var.image_%s}",
                 colours[c], colours[c]);
        TH_ASSERT_STR(locals, path, expect);
    }
    th_free(r);

    const char *digest[] = {"compute.image_digest=sha256:"
                            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                            NULL};
    r = th_generate("profiles/migration.yaml", digest);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(top(r, "variable.image_green"), "default",
                  "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    th_free(r);
}

/* An empty image: a clear error naming the key, non-zero exit, nothing
 * written. */
static void test_empty_image_is_refused_and_nothing_is_written(void)
{
    th_expect_error("profiles/migration.yaml", "compute.image_tag=",
                    "compute.image_tag is empty: the blue and green services would run no image");
    th_expect_error("profiles/migration.yaml", "compute.image_tag=-rc1",
                    "compute.image_tag '-rc1' is not an image tag");

    const char *dir = th_scratch("ecs-empty-image");
    char args[512];
    snprintf(args, sizeof args,
             "generate --profile profiles/migration.yaml -o '%s/out' --set compute.image_tag= -q",
             dir);
    th_cli_result res = th_cli(args);
    CU_ASSERT_TRUE(res.status > 0 && res.status < 128); /* refused, not crashed */
    CU_ASSERT_PTR_NOT_NULL(strstr(res.output, "compute.image_tag is empty"));
    char stack[512];
    snprintf(stack, sizeof stack, "%s/out/stacks", dir);
    struct stat st;
    CU_ASSERT_NOT_EQUAL(stat(stack, &st), 0);
    free(res.output);
}

/* The monitoring plugin's "service" is the active colour's, as an
 * expression that follows active_color. */
static void test_published_service_follows_the_active_colour(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        char local[64], expect[200];
        snprintf(local, sizeof local, "ecs_active_service_%s", codes[i]);
        snprintf(expect, sizeof expect, "${local.%s}", local);
        const pg_region *region = pg_ctx_region(&r->g.ctx, i);
        CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, region, "ecs.service_name"), expect);
        snprintf(expect, sizeof expect,
                 "${var.active_color == \"green\" ? aws_ecs_service.api_green_%s.name : "
                 "aws_ecs_service.api_%s.name}",
                 codes[i], codes[i]);
        TH_ASSERT_STR(top(r, "locals"), local, expect);
        for (size_t c = 0; c < 2; c++) {
            char key[64];
            snprintf(key, sizeof key, "ecs.service.%s.name", colours[c]);
            CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, region, key),
                                   ref("aws_ecs_service", labels[c], codes[i], "name"));
        }
    }
    th_free(r);
}

static void test_desired_count_variable_is_validated(void)
{
    const char *sets[] = {"compute.min_tasks=3", "compute.max_tasks=12", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *v = top(r, "variable.desired_count_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(th_str(v, "type"), "number");
    CU_ASSERT_EQUAL(th_num(v, "default"), 3);
    CU_ASSERT_STRING_EQUAL(th_str(v, "validation.0.condition"),
                           "${var.desired_count_use2 >= 1 && var.desired_count_use2 <= 12 && "
                           "floor(var.desired_count_use2) == var.desired_count_use2}");
    CU_ASSERT_PTR_NOT_NULL(th_str(v, "validation.0.error_message"));
    th_free(r);

    const char *bad[] = {"compute.min_tasks=5", "compute.max_tasks=4", NULL};
    r = th_generate("profiles/migration.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.min_tasks = 5 is above compute.max_tasks = 4"));
    th_free(r);
}

/* Each colour scales on its own: its service, its floor, CPU of its
 * service and requests per target of its own target group. */
static void test_autoscaling_per_colour(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_appautoscaling_target"), 4);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_appautoscaling_policy"), 8);
    /* blue keeps the single service's labels */
    const char *cpu_labels[] = {"cpu", "cpu_green"};
    for (size_t i = 0; i < 2; i++) {
        const char *code = codes[i];
        for (size_t c = 0; c < 2; c++) {
            const cJSON *t = th_regional(r, "aws_appautoscaling_target", labels[c], code);
            CU_ASSERT_PTR_NOT_NULL_FATAL(t);
            CU_ASSERT_STRING_EQUAL(th_str(t, "service_namespace"), "ecs");
            CU_ASSERT_STRING_EQUAL(th_str(t, "scalable_dimension"), "ecs:service:DesiredCount");
            char expect[256];
            snprintf(expect, sizeof expect, "service/%s/%s",
                     ref("aws_ecs_cluster", "main", code, "name"),
                     ref("aws_ecs_service", labels[c], code, "name"));
            CU_ASSERT_STRING_EQUAL(th_str(t, "resource_id"), expect);
            snprintf(expect, sizeof expect, "${local.ecs_tasks_%s_%s}", colours[c], code);
            CU_ASSERT_STRING_EQUAL(th_str(t, "min_capacity"), expect);
            CU_ASSERT_EQUAL(th_num(t, "max_capacity"), 10);
            const char *target_id =
                ref("aws_appautoscaling_target", labels[c], code, "resource_id");

            const cJSON *cpu = th_regional(r, "aws_appautoscaling_policy", cpu_labels[c], code);
            CU_ASSERT_PTR_NOT_NULL_FATAL(cpu);
            CU_ASSERT_STRING_EQUAL(th_str(cpu, "policy_type"), "TargetTrackingScaling");
            CU_ASSERT_STRING_EQUAL(th_str(cpu, "resource_id"), target_id);
            CU_ASSERT_STRING_EQUAL(
                th_str(cpu, "target_tracking_scaling_policy_configuration.0."
                            "predefined_metric_specification.0.predefined_metric_type"),
                "ECSServiceAverageCPUUtilization");
            CU_ASSERT_EQUAL(
                th_num(cpu, "target_tracking_scaling_policy_configuration.0.target_value"), 60);

            char label[32];
            snprintf(label, sizeof label, "requests_%s", colours[c]);
            const cJSON *p = th_regional(r, "aws_appautoscaling_policy", label, code);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            CU_ASSERT_STRING_EQUAL(th_str(p, "resource_id"), target_id);
            const cJSON *m = th_path(p, "target_tracking_scaling_policy_configuration.0."
                                        "predefined_metric_specification.0");
            CU_ASSERT_STRING_EQUAL(th_str(m, "predefined_metric_type"), "ALBRequestCountPerTarget");
            snprintf(expect, sizeof expect, "%s/%s", ref("aws_lb", "main", code, "arn_suffix"),
                     ref("aws_lb_target_group", colours[c], code, "arn_suffix"));
            CU_ASSERT_STRING_EQUAL(th_str(m, "resource_label"), expect);
            CU_ASSERT_EQUAL(
                th_num(p, "target_tracking_scaling_policy_configuration.0.target_value"), 1000);
        }
        /* distinct names: one policy name per scalable target */
        CU_ASSERT_STRING_NOT_EQUAL(
            th_str(th_regional(r, "aws_appautoscaling_policy", "cpu", code), "name"),
            th_str(th_regional(r, "aws_appautoscaling_policy", "cpu_green", code), "name"));
    }
    th_free(r);
}

/* No "*" or "service:*" action; "*" as resource only for the two actions
 * AWS offers no resource for, and the metrics one narrowed by namespace. */
static void test_role_policies_are_scoped(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *docs[] = {"ecs_execution_permissions", "ecs_task_permissions"};
    for (size_t i = 0; i < 2; i++)
        for (size_t d = 0; d < 2; d++) {
            const cJSON *pd = doc(r, docs[d], codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(pd);
            const cJSON *st, *item;
            cJSON_ArrayForEach (st, th_path(pd, "statement")) {
                CU_ASSERT_STRING_EQUAL(th_str(st, "effect"), "Allow");
                cJSON_ArrayForEach (item, th_path(st, "actions")) {
                    CU_ASSERT_STRING_NOT_EQUAL(item->valuestring, "*");
                    CU_ASSERT_PTR_NULL(strstr(item->valuestring, ":*"));
                }
                cJSON_ArrayForEach (item, th_path(st, "resources")) {
                    if (strcmp(item->valuestring, "*"))
                        continue;
                    const char *action = th_str(st, "actions.0");
                    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "actions")), 1);
                    CU_ASSERT_TRUE(!strcmp(action, "ecr:GetAuthorizationToken") ||
                                   !strcmp(action, "cloudwatch:PutMetricData"));
                    if (!strcmp(action, "cloudwatch:PutMetricData")) {
                        CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.variable"),
                                               "cloudwatch:namespace");
                        CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.values.0"),
                                               "Payment/Service");
                    }
                }
            }
        }

    const char *code = "use2";
    const cJSON *ex = doc(r, "ecs_execution_permissions", code);
    /* pulls from the region's own repository only */
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.1.sid"), "EcrPull");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.1.resources.0"),
                           "${aws_ecr_repository.api_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.2.resources.0"),
                           "${aws_cloudwatch_log_group.ecs_use2.arn}:*");
    /* and reads no secret, nor decrypts one */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(ex, "statement")), 3);

    const cJSON *task = doc(r, "ecs_task_permissions", code);
    CU_ASSERT_STRING_EQUAL(th_str(task, "statement.0.sid"), "DatabaseConnect");
    const char *objects = th_str(task, "statement.1.resources.0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(objects);
    const char *suffix = "/transactions/*";
    CU_ASSERT_TRUE(strlen(objects) > strlen(suffix) &&
                   !strcmp(objects + strlen(objects) - strlen(suffix), suffix));
    CU_ASSERT_PTR_NOT_NULL(strstr(objects, "aws_s3_bucket."));
    CU_ASSERT_STRING_EQUAL(th_str(task, "statement.2.resources.0"),
                           ref("aws_kms_key", "storage", code, "arn"));

    /* attached to the region's roles */
    for (size_t i = 0; i < 2; i++) {
        const cJSON *p = th_regional(r, "aws_iam_role_policy", "ecs_execution", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(th_str(p, "role"),
                               ref("aws_iam_role", "ecs_execution", codes[i], "name"));
        p = th_regional(r, "aws_iam_role_policy", "ecs_task", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(th_str(p, "policy"), ref("data.aws_iam_policy_document",
                                                        "ecs_task_permissions", codes[i], "json"));
    }
    th_free(r);
}

static void test_sizes_retention_and_image_settings(void)
{
    const char *ok[] = {"compute.cpu=1024",
                        "compute.memory=3072",
                        "compute.cpu_architecture=ARM64",
                        "compute.log_retention_days=400",
                        "compute.image_digest=sha256:"
                        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        NULL};
    th_run *r = th_generate("profiles/migration.yaml", ok);
    TH_ASSERT_OK(r);
    const cJSON *td = th_regional(r, "aws_ecs_task_definition", "api", "use1");
    CU_ASSERT_STRING_EQUAL(th_str(td, "cpu"), "1024");
    CU_ASSERT_STRING_EQUAL(th_str(td, "memory"), "3072");
    CU_ASSERT_STRING_EQUAL(th_str(td, "runtime_platform.0.cpu_architecture"), "ARM64");
    CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_cloudwatch_log_group", "ecs", "use1"), "retention_in_days"),
                    400);
    /* the digest pins both colours' default release */
    TH_ASSERT_STR(top(r, "variable.image_blue"), "default",
                  "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    th_free(r);

    const char *bad_size[] = {"compute.cpu=256", "compute.memory=4096", NULL};
    r = th_generate("profiles/migration.yaml", bad_size);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.cpu = 256 with compute.memory = 4096 is not a Fargate "
                                   "task size"));
    th_free(r);

    const char *bad_retention[] = {"compute.log_retention_days=500", NULL};
    r = th_generate("profiles/migration.yaml", bad_retention);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.log_retention_days = '500' is not one of "
                                   "365|400|545|731|1096|1827|2192|2557|2922|3288|3653"));
    th_free(r);

    const char *short_retention[] = {"compute.log_retention_days=90", NULL};
    r = th_generate("profiles/migration.yaml", short_retention);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.log_retention_days = '90' is not one of 365|"));
    th_free(r);

    const char *bad_digest[] = {"compute.image_digest=sha256:xyz", NULL};
    r = th_generate("profiles/migration.yaml", bad_digest);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.image_digest 'sha256:xyz' must be sha256:"));
    th_free(r);

    const char *bad_arch[] = {"compute.cpu_architecture=arm", NULL};
    r = th_generate("profiles/migration.yaml", bad_arch);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.cpu_architecture = 'arm' is not one of X86_64|ARM64"));
    th_free(r);
}

/* The container listens on the port the balancer's target groups send to:
 * alb owns compute.container_port and publishes it as alb.target_port. */
static void test_container_port_follows_the_balancer(void)
{
    const char *sets[] = {"compute.container_port=9443", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        cJSON *defs = containers_of(r, 1, codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(defs);
        CU_ASSERT_EQUAL(th_num(defs, "0.portMappings.0.containerPort"), 9443);
        CU_ASSERT_EQUAL(th_num(defs, "0.portMappings.0.hostPort"), 9443);
        const cJSON *env;
        bool port = false;
        cJSON_ArrayForEach (env, th_path(defs, "0.environment"))
            if (!strcmp(th_str(env, "name"), "PORT")) {
                port = true;
                CU_ASSERT_STRING_EQUAL(th_str(env, "value"), "9443");
            }
        CU_ASSERT_TRUE(port);
        cJSON_Delete(defs);

        for (size_t c = 0; c < 2; c++)
            CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_ecs_service", labels[c], codes[i]),
                                   "load_balancer.0.container_port"),
                            9443);
        const cJSON *in = th_regional(r, "aws_vpc_security_group_ingress_rule", "app_from_alb",
                                      codes[i]);
        CU_ASSERT_EQUAL(th_num(in, "from_port"), 9443);
        CU_ASSERT_EQUAL(th_num(in, "to_port"), 9443);
    }
    th_free(r);
}

/* Every active region has its own repository of the one name, scanned on
 * push, with immutable tags and the region's key; protected, it cannot be
 * destroyed and refuses to go with its images. */
static void test_a_repository_per_active_region(void)
{
    static const struct {
        const char *profile;
        size_t regions;
    } cases[] = {{"profiles/legacy.yaml", 1},
                 {"profiles/migration.yaml", 2},
                 {"tests/data/profiles/three-regions.yaml", 3}};
    static const char *const all_codes[] = {"use1", "use2", "usw2"};
    for (size_t p = 0; p < 3; p++) {
        th_run *r = th_generate(cases[p].profile, NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecr_repository"), cases[p].regions);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecr_lifecycle_policy"), cases[p].regions);
        const cJSON *first = th_resource(r, "payment", "aws_ecr_repository", "api_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(first);
        const cJSON *repo;
        cJSON_ArrayForEach (repo, th_path(th_stack(r, "payment"), "resource.aws_ecr_repository")) {
            /* the same name everywhere: the image's path is the same in each region */
            CU_ASSERT_STRING_EQUAL(th_str(repo, "name"), th_str(first, "name"));
            CU_ASSERT_STRING_EQUAL(th_str(repo, "image_tag_mutability"), "IMMUTABLE");
            CU_ASSERT_EQUAL(th_bool(repo, "image_scanning_configuration.0.scan_on_push"), 1);
            CU_ASSERT_STRING_EQUAL(th_str(repo, "encryption_configuration.0.encryption_type"),
                                   "KMS");
            /* the region's images key once kms publishes one, else aws/ecr */
            const char *code = repo->string + strlen("api_");
            char key[64];
            snprintf(key, sizeof key, "images_%s", code);
            if (th_resource(r, "payment", "aws_kms_key", key)) {
                CU_ASSERT_STRING_EQUAL(th_str(repo, "encryption_configuration.0.kms_key"),
                                       ref("aws_kms_key", "images", code, "arn"));
            } else {
                CU_ASSERT_PTR_NULL(th_path(repo, "encryption_configuration.0.kms_key"));
            }
            CU_ASSERT_EQUAL(th_bool(repo, "force_delete"), 0);
            CU_ASSERT_EQUAL(th_bool(repo, "lifecycle.prevent_destroy"), 1);
        }
        for (size_t i = 0; i < cases[p].regions; i++) {
            const cJSON *repo_i = th_regional(r, "aws_ecr_repository", "api", all_codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(repo_i);
            if (i) {
                CU_ASSERT_PTR_NOT_NULL(th_str(repo_i, "provider"));
            }
        }
        th_free(r);
    }
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_regional(r, "aws_ecr_repository", "api", "use1"), "name",
                  "payment-api-production-abc123");
    th_free(r);

    /* a rehearsal (nothing protected) may be destroyed with its images */
    r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *repo = th_regional(r, "aws_ecr_repository", "api", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(repo);
        CU_ASSERT_STRING_EQUAL(th_str(repo, "name"), "payment-api-staging-xyz789");
        CU_ASSERT_EQUAL(th_bool(repo, "force_delete"), 1);
        CU_ASSERT_PTR_NULL(th_path(repo, "lifecycle.prevent_destroy"));
    }
    th_free(r);

    /* a name of the profile's own, used as it is, and checked */
    const char *named[] = {"compute.image_repository=payments/api", NULL};
    r = th_generate("profiles/migration.yaml", named);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_regional(r, "aws_ecr_repository", "api", "use2"), "name", "payments/api");
    cJSON *defs = containers_of(r, 0, "use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(defs);
    TH_ASSERT_STR(defs, "0.image",
                  "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-2.amazonaws.com/"
                  "payments/api${local.ecs_image_blue}");
    cJSON_Delete(defs);
    th_free(r);
    th_expect_error("profiles/migration.yaml", "compute.image_repository=Payment_API",
                    "compute.image_repository 'Payment_API' is not an ECR repository name");
}

/* Each repository keeps the newest tagged images and expires untagged ones
 * after a few days, both settings; rules in ascending priority. */
static void test_lifecycle_policy(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *lp = th_regional(r, "aws_ecr_lifecycle_policy", "api", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lp);
        CU_ASSERT_STRING_EQUAL(th_str(lp, "repository"),
                               ref("aws_ecr_repository", "api", codes[i], "name"));
        cJSON *policy = cJSON_Parse(th_str(lp, "policy"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(policy, "rules")), 2);
        CU_ASSERT_EQUAL(th_num(policy, "rules.0.rulePriority"), 1);
        TH_ASSERT_STR(policy, "rules.0.selection.tagStatus", "untagged");
        TH_ASSERT_STR(policy, "rules.0.selection.countType", "sinceImagePushed");
        TH_ASSERT_STR(policy, "rules.0.selection.countUnit", "days");
        CU_ASSERT_EQUAL(th_num(policy, "rules.0.selection.countNumber"), 7);
        TH_ASSERT_STR(policy, "rules.0.action.type", "expire");
        CU_ASSERT_EQUAL(th_num(policy, "rules.1.rulePriority"), 2);
        TH_ASSERT_STR(policy, "rules.1.selection.tagStatus", "tagged");
        TH_ASSERT_STR(policy, "rules.1.selection.tagPatternList.0", "*");
        TH_ASSERT_STR(policy, "rules.1.selection.countType", "imageCountMoreThan");
        CU_ASSERT_EQUAL(th_num(policy, "rules.1.selection.countNumber"), 30);
        TH_ASSERT_STR(policy, "rules.1.action.type", "expire");
        cJSON_Delete(policy);
    }
    th_free(r);

    const char *sets[] = {"compute.image_keep_count=100", "compute.image_untagged_days=0", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    cJSON *policy =
        cJSON_Parse(th_str(th_regional(r, "aws_ecr_lifecycle_policy", "api", "use2"), "policy"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
    /* untagged images are kept: only the tagged rule remains */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(policy, "rules")), 1);
    CU_ASSERT_EQUAL(th_num(policy, "rules.0.rulePriority"), 1);
    TH_ASSERT_STR(policy, "rules.0.selection.tagStatus", "tagged");
    CU_ASSERT_EQUAL(th_num(policy, "rules.0.selection.countNumber"), 100);
    cJSON_Delete(policy);
    th_free(r);

    th_expect_error("profiles/migration.yaml", "compute.image_keep_count=0",
                    "compute.image_keep_count");
}

/* Replication is one configuration per registry (account and region):
 * no stack of any phase writes it, nor the registry's scanning or policy. */
static void test_no_account_wide_registry_setting_anywhere(void)
{
    static const char *const stacks[] = {"payment", "bootstrap"};
    static const char *const types[] = {"aws_ecr_replication_configuration",
                                        "aws_ecr_registry_scanning_configuration",
                                        "aws_ecr_registry_policy"};
    for (size_t p = 0; p < TH_PHASES; p++) {
        th_run *r = th_generate(th_phases[p], NULL);
        TH_ASSERT_OK(r);
        for (size_t s = 0; s < 2; s++)
            for (size_t t = 0; t < 3; t++)
                CU_ASSERT_EQUAL(th_count(r, stacks[s], types[t]), 0);
        th_free(r);
    }
}

/* Each colour's image is looked up, by tag or digest from its variable, in
 * every active region's repository; the service waits for the lookup, and
 * outside the primary needs the primary's digest. */
static void test_each_service_waits_for_its_image_in_its_region(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++)
        for (size_t c = 0; c < 2; c++) {
            char label[64], expect[256];
            snprintf(label, sizeof label, "%s_%s", labels[c], codes[i]);
            const cJSON *img = th_data(r, "payment", "aws_ecr_image", label);
            CU_ASSERT_PTR_NOT_NULL_FATAL(img);
            CU_ASSERT_STRING_EQUAL(th_str(img, "repository_name"),
                                   ref("aws_ecr_repository", "api", codes[i], "name"));
            snprintf(expect, sizeof expect,
                     "${startswith(var.image_%s, \"sha256:\") ? null : var.image_%s}", colours[c],
                     colours[c]);
            CU_ASSERT_STRING_EQUAL(th_str(img, "image_tag"), expect);
            snprintf(expect, sizeof expect,
                     "${startswith(var.image_%s, \"sha256:\") ? var.image_%s : null}", colours[c],
                     colours[c]);
            CU_ASSERT_STRING_EQUAL(th_str(img, "image_digest"), expect);
            if (i) {
                CU_ASSERT_STRING_EQUAL(th_str(img, "provider"), "aws.use2");
            }

            const cJSON *svc = th_regional(r, "aws_ecs_service", labels[c], codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
            const cJSON *pre = th_path(svc, "lifecycle.precondition.0");
            CU_ASSERT_PTR_NOT_NULL_FATAL(pre);
            if (i == 0)
                snprintf(expect, sizeof expect,
                         "${startswith(data.aws_ecr_image.%s_use1.image_digest, \"sha256:\")}",
                         labels[c]);
            else
                snprintf(expect, sizeof expect,
                         "${data.aws_ecr_image.%s_use2.image_digest == "
                         "data.aws_ecr_image.%s_use1.image_digest}",
                         labels[c], labels[c]);
            CU_ASSERT_STRING_EQUAL(th_str(pre, "condition"), expect);
            CU_ASSERT_PTR_NOT_NULL(strstr(th_str(pre, "error_message"), "by digest"));
            CU_ASSERT_PTR_NOT_NULL(strstr(th_str(pre, "error_message"), colours[c]));
            /* the precondition keeps ignore_changes beside it */
            CU_ASSERT_STRING_EQUAL(th_str(svc, "lifecycle.ignore_changes.0"), "desired_count");
        }
    th_free(r);

    /* legacy: the primary's lookups only */
    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NOT_NULL(th_data(r, "payment", "aws_ecr_image", "api_use1"));
    CU_ASSERT_PTR_NOT_NULL(th_data(r, "payment", "aws_ecr_image", "api_green_use1"));
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_ecr_image", "api_use2"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"a repository per active region", test_a_repository_per_active_region},
        {"lifecycle policy", test_lifecycle_policy},
        {"no account-wide registry setting anywhere",
         test_no_account_wide_registry_setting_anywhere},
        {"each service waits for its image in its region",
         test_each_service_waits_for_its_image_in_its_region},
        {"cluster and service in both regions from migration on",
         test_cluster_and_service_in_both_regions_from_migration_on},
        {"legacy runs the primary only", test_legacy_runs_the_primary_only},
        {"task definition is Fargate with separate roles",
         test_task_definition_is_fargate_with_separate_roles},
        {"container is hardened and signs in to the database with IAM",
         test_container_is_hardened_and_reads_the_secret_by_reference},
        {"each colour runs privately behind its own target group",
         test_each_colour_runs_privately_behind_its_own_target_group},
        {"colour floors follow the weights", test_colour_floors_follow_the_weights},
        {"each colour has its own image variable", test_each_colour_has_its_own_image_variable},
        {"empty image is refused and nothing is written",
         test_empty_image_is_refused_and_nothing_is_written},
        {"published service follows the active colour",
         test_published_service_follows_the_active_colour},
        {"desired count variable is validated", test_desired_count_variable_is_validated},
        {"autoscaling per colour", test_autoscaling_per_colour},
        {"role policies are scoped", test_role_policies_are_scoped},
        {"sizes, retention and image settings", test_sizes_retention_and_image_settings},
        {"container port follows the balancer", test_container_port_follows_the_balancer},
        CU_TEST_INFO_NULL,
    };
    return th_main("ecs", tests);
}
