/* SPDX-License-Identifier: Apache-2.0 */
/* ECS plugin: Fargate service per active region behind both target groups,
 * a hardened task definition, autoscaling, and least-privilege permissions
 * of the execution and task roles. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const codes[] = {"use1", "use2"};

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

/* The container definitions of a region's task, parsed; cJSON_Delete it. */
static cJSON *containers(const th_run *r, const char *code)
{
    const char *text =
        th_str(th_regional(r, "aws_ecs_task_definition", "api", code), "container_definitions");
    return text ? cJSON_Parse(text) : NULL;
}

static void test_cluster_and_service_in_both_regions_from_migration_on(void)
{
    const char *profiles[] = {"profiles/migration.yaml", "profiles/production.yaml"};
    for (size_t p = 0; p < 2; p++) {
        th_run *r = th_generate(profiles[p], NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_cluster"), 2);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_service"), 2);
        for (size_t i = 0; i < 2; i++) {
            const cJSON *c = th_regional(r, "aws_ecs_cluster", "main", codes[i]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(c);
            CU_ASSERT_STRING_EQUAL(th_str(c, "name"), "payment-ecs-production-abc123");
            CU_ASSERT_STRING_EQUAL(th_str(c, "setting.0.name"), "containerInsights");
            CU_ASSERT_STRING_EQUAL(th_str(c, "setting.0.value"), "enabled");
        }
        CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_ecs_service", "api", "use2"), "provider"),
                               "aws.use2");
        CU_ASSERT_PTR_NULL(th_path(th_regional(r, "aws_ecs_service", "api", "use1"), "provider"));
        th_free(r);
    }
}

static void test_legacy_runs_the_primary_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_cluster"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_service"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecs_task_definition"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_appautoscaling_target"), 1);
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_ecs_service", "api", "use1"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_ecs_service", "api", "use2"));
    CU_ASSERT_PTR_NOT_NULL(top(r, "variable.desired_count_use1"));
    CU_ASSERT_PTR_NULL(top(r, "variable.desired_count_use2"));
    th_free(r);
}

static void test_task_definition_is_fargate_with_separate_roles(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *td = th_regional(r, "aws_ecs_task_definition", "api", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(td);
        CU_ASSERT_STRING_EQUAL(th_str(td, "family"), "payment-api-production-abc123");
        CU_ASSERT_STRING_EQUAL(th_str(td, "network_mode"), "awsvpc");
        CU_ASSERT_STRING_EQUAL(th_str(td, "requires_compatibilities.0"), "FARGATE");
        CU_ASSERT_STRING_EQUAL(th_str(td, "cpu"), "512");
        CU_ASSERT_STRING_EQUAL(th_str(td, "memory"), "1024");
        CU_ASSERT_STRING_EQUAL(th_str(td, "runtime_platform.0.operating_system_family"), "LINUX");
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
    th_free(r);
}

static void test_container_is_hardened_and_reads_the_secret_by_reference(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        cJSON *defs = containers(r, codes[i]);
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

        char expect[160];
        snprintf(expect, sizeof expect,
                 "${data.aws_caller_identity.current.account_id}.dkr.ecr.%s.amazonaws.com/"
                 "payment-api:1.0.0",
                 i ? "us-east-2" : "us-east-1");
        CU_ASSERT_STRING_EQUAL(th_str(c, "image"), expect);

        CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.logDriver"), "awslogs");
        CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.options.awslogs-group"),
                               ref("aws_cloudwatch_log_group", "ecs", codes[i], "name"));
        CU_ASSERT_STRING_EQUAL(th_str(c, "logConfiguration.options.awslogs-region"),
                               i ? "us-east-2" : "us-east-1");
        CU_ASSERT_PTR_NOT_NULL(th_str(c, "logConfiguration.options.awslogs-stream-prefix"));

        /* the secret by reference: the region's Secrets Manager secret (the
         * secondary's through a local, for its expression holds quotes) */
        CU_ASSERT_STRING_EQUAL(th_str(c, "secrets.0.name"), "DB_SECRET");
        const char *from = th_str(c, "secrets.0.valueFrom");
        CU_ASSERT_PTR_NOT_NULL_FATAL(from);
        if (i == 0) {
            CU_ASSERT_PTR_NOT_NULL(strstr(from, "${aws_secretsmanager_secret."));
            CU_ASSERT_PTR_NOT_NULL(th_target(r, from));
        } else {
            char local[64];
            CU_ASSERT_EQUAL_FATAL(sscanf(from, "${local.%63[^}]}", local), 1);
            const char *value = th_str(top(r, "locals"), local);
            CU_ASSERT_PTR_NOT_NULL_FATAL(value);
            CU_ASSERT_PTR_NOT_NULL(strstr(value, "aws_secretsmanager_secret."));
            CU_ASSERT_PTR_NOT_NULL(strstr(value, ":us-east-2:"));
        }
        /* the execution role may read exactly that secret */
        const cJSON *st = th_path(doc(r, "ecs_execution_permissions", codes[i]), "statement.3");
        CU_ASSERT_STRING_EQUAL(th_str(st, "sid"), "DatabaseSecret");
        if (i == 0)
            CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"), from);

        /* no secret in plain environment; the writer endpoint as host */
        const cJSON *env;
        bool host = false;
        cJSON_ArrayForEach (env, th_path(c, "environment")) {
            const char *name = th_str(env, "name");
            CU_ASSERT_PTR_NULL(strstr(name, "SECRET"));
            CU_ASSERT_PTR_NULL(strstr(name, "PASSWORD"));
            if (!strcmp(name, "DB_HOST")) {
                host = true;
                CU_ASSERT_STRING_EQUAL(th_str(env, "value"),
                                       ref("aws_rds_cluster", "main", codes[i], "endpoint"));
            }
        }
        CU_ASSERT_TRUE(host);
        cJSON_Delete(defs);
    }
    th_free(r);
}

static void test_service_runs_privately_behind_both_target_groups(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const char *code = codes[i];
        const cJSON *s = th_regional(r, "aws_ecs_service", "api", code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_STRING_EQUAL(th_str(s, "launch_type"), "FARGATE");
        CU_ASSERT_STRING_EQUAL(th_str(s, "platform_version"), "1.4.0");
        CU_ASSERT_STRING_EQUAL(th_str(s, "cluster"), ref("aws_ecs_cluster", "main", code, "arn"));
        CU_ASSERT_STRING_EQUAL(th_str(s, "task_definition"),
                               ref("aws_ecs_task_definition", "api", code, "arn"));
        CU_ASSERT_EQUAL(th_bool(s, "network_configuration.0.assign_public_ip"), 0);
        CU_ASSERT_EQUAL(th_bool(s, "enable_execute_command"), 0);
        CU_ASSERT_STRING_EQUAL(th_str(s, "propagate_tags"), "SERVICE");

        /* app subnets: not the balancer's, in the same VPC as the app group */
        const char *sg = th_str(s, "network_configuration.0.security_groups.0");
        const cJSON *app_sg = th_target(r, sg);
        CU_ASSERT_PTR_NOT_NULL_FATAL(app_sg);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(s, "network_configuration.0.security_groups")),
                        1);
        const cJSON *alb_egress = th_regional(r, "aws_vpc_security_group_egress_rule", "alb_to_app", code);
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

        /* registered with both colours: the weights pick who gets traffic */
        const cJSON *lbs = th_path(s, "load_balancer");
        CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(lbs), 2);
        CU_ASSERT_STRING_EQUAL(th_str(lbs, "0.target_group_arn"),
                               ref("aws_lb_target_group", "blue", code, "arn"));
        CU_ASSERT_STRING_EQUAL(th_str(lbs, "1.target_group_arn"),
                               ref("aws_lb_target_group", "green", code, "arn"));
        CU_ASSERT_STRING_EQUAL(th_str(lbs, "0.container_name"), "payment-api");
        CU_ASSERT_EQUAL(th_num(lbs, "1.container_port"), 8443);

        CU_ASSERT_EQUAL(th_bool(s, "deployment_circuit_breaker.0.enable"), 1);
        CU_ASSERT_EQUAL(th_bool(s, "deployment_circuit_breaker.0.rollback"), 1);
        CU_ASSERT_EQUAL(th_num(s, "deployment_minimum_healthy_percent"), 100);
        CU_ASSERT_EQUAL(th_num(s, "deployment_maximum_percent"), 200);
        CU_ASSERT_EQUAL(th_num(s, "health_check_grace_period_seconds"), 60);
        char var[64];
        snprintf(var, sizeof var, "${var.desired_count_%s}", code);
        CU_ASSERT_STRING_EQUAL(th_str(s, "desired_count"), var);
        CU_ASSERT_STRING_EQUAL(th_str(s, "lifecycle.ignore_changes.0"), "desired_count");
        char listener[64];
        snprintf(listener, sizeof listener, "aws_lb_listener.https_%s", code);
        CU_ASSERT_STRING_EQUAL(th_str(s, "depends_on.0"), listener);

        /* the app tier admits the balancer's group on the container port */
        const cJSON *in = th_regional(r, "aws_vpc_security_group_ingress_rule", "app_from_alb", code);
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

static void test_autoscaling_tracks_cpu_and_requests_per_colour(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const char *code = codes[i];
        const cJSON *t = th_regional(r, "aws_appautoscaling_target", "api", code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_STRING_EQUAL(th_str(t, "service_namespace"), "ecs");
        CU_ASSERT_STRING_EQUAL(th_str(t, "scalable_dimension"), "ecs:service:DesiredCount");
        char expect[256];
        snprintf(expect, sizeof expect, "service/%s/%s",
                 ref("aws_ecs_cluster", "main", code, "name"),
                 ref("aws_ecs_service", "api", code, "name"));
        CU_ASSERT_STRING_EQUAL(th_str(t, "resource_id"), expect);
        snprintf(expect, sizeof expect, "${var.desired_count_%s}", code);
        CU_ASSERT_STRING_EQUAL(th_str(t, "min_capacity"), expect);
        CU_ASSERT_EQUAL(th_num(t, "max_capacity"), 10);

        const cJSON *cpu = th_regional(r, "aws_appautoscaling_policy", "cpu", code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(cpu);
        CU_ASSERT_STRING_EQUAL(th_str(cpu, "policy_type"), "TargetTrackingScaling");
        CU_ASSERT_STRING_EQUAL(th_str(cpu, "resource_id"),
                               ref("aws_appautoscaling_target", "api", code, "resource_id"));
        CU_ASSERT_STRING_EQUAL(
            th_str(cpu,
                   "target_tracking_scaling_policy_configuration.0.predefined_metric_specification."
                   "0.predefined_metric_type"),
            "ECSServiceAverageCPUUtilization");
        CU_ASSERT_EQUAL(th_num(cpu, "target_tracking_scaling_policy_configuration.0.target_value"),
                        60);

        const char *colours[] = {"blue", "green"};
        for (size_t c = 0; c < 2; c++) {
            char label[32];
            snprintf(label, sizeof label, "requests_%s", colours[c]);
            const cJSON *p = th_regional(r, "aws_appautoscaling_policy", label, code);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            const cJSON *m = th_path(
                p,
                "target_tracking_scaling_policy_configuration.0.predefined_metric_specification.0");
            CU_ASSERT_STRING_EQUAL(th_str(m, "predefined_metric_type"), "ALBRequestCountPerTarget");
            snprintf(expect, sizeof expect, "%s/%s", ref("aws_lb", "main", code, "arn_suffix"),
                     ref("aws_lb_target_group", colours[c], code, "arn_suffix"));
            CU_ASSERT_STRING_EQUAL(th_str(m, "resource_label"), expect);
            CU_ASSERT_EQUAL(
                th_num(p, "target_tracking_scaling_policy_configuration.0.target_value"), 1000);
        }
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
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.1.resources.0"),
                           "arn:${data.aws_partition.current.partition}:ecr:us-east-2:"
                           "${data.aws_caller_identity.current.account_id}:repository/payment-api");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.2.resources.0"),
                           "${aws_cloudwatch_log_group.ecs_use2.arn}:*");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.4.actions.0"), "kms:Decrypt");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.4.resources.0"),
                           ref("aws_kms_key", "database", code, "arn"));
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.4.condition.0.variable"), "kms:ViaService");
    CU_ASSERT_STRING_EQUAL(th_str(ex, "statement.4.condition.0.values.0"),
                           "secretsmanager.us-east-2.amazonaws.com");

    const cJSON *task = doc(r, "ecs_task_permissions", code);
    const char *objects = th_str(task, "statement.0.resources.0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(objects);
    const char *suffix = "/transactions/*";
    CU_ASSERT_TRUE(strlen(objects) > strlen(suffix) &&
                   !strcmp(objects + strlen(objects) - strlen(suffix), suffix));
    CU_ASSERT_PTR_NOT_NULL(strstr(objects, "aws_s3_bucket."));
    CU_ASSERT_STRING_EQUAL(th_str(task, "statement.1.resources.0"),
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
    cJSON *defs = containers(r, "use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(defs);
    const char *image = th_str(defs, "0.image");
    CU_ASSERT_PTR_NOT_NULL(strstr(image, "/payment-api@sha256:0123456789abcdef"));
    cJSON_Delete(defs);
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
        cJSON *defs = containers(r, codes[i]);
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

        const cJSON *s = th_regional(r, "aws_ecs_service", "api", codes[i]);
        CU_ASSERT_EQUAL(th_num(s, "load_balancer.0.container_port"), 9443);
        CU_ASSERT_EQUAL(th_num(s, "load_balancer.1.container_port"), 9443);
        const cJSON *in = th_regional(r, "aws_vpc_security_group_ingress_rule", "app_from_alb",
                                      codes[i]);
        CU_ASSERT_EQUAL(th_num(in, "from_port"), 9443);
        CU_ASSERT_EQUAL(th_num(in, "to_port"), 9443);
    }
    th_free(r);
}

/* The secondary pulls its own region's copy of the image. */
static void test_images_replicate_to_secondaries(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ecr_replication_configuration"), 0);
    th_free(r);
    r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *rc = th_resource(r, "payment", "aws_ecr_replication_configuration", "images_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    const cJSON *rule = th_path(rc, "replication_configuration.0.rule.0");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "destination.0.region"), "us-east-2");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "destination.0.registry_id"),
                           "${data.aws_caller_identity.current.account_id}");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "repository_filter.0.filter"), "payment-api");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "repository_filter.0.filter_type"), "PREFIX_MATCH");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"images replicate to secondaries", test_images_replicate_to_secondaries},
        {"cluster and service in both regions from migration on",
         test_cluster_and_service_in_both_regions_from_migration_on},
        {"legacy runs the primary only", test_legacy_runs_the_primary_only},
        {"task definition is Fargate with separate roles",
         test_task_definition_is_fargate_with_separate_roles},
        {"container is hardened and reads the secret by reference",
         test_container_is_hardened_and_reads_the_secret_by_reference},
        {"service runs privately behind both target groups",
         test_service_runs_privately_behind_both_target_groups},
        {"desired count variable is validated", test_desired_count_variable_is_validated},
        {"autoscaling tracks CPU and requests per colour",
         test_autoscaling_tracks_cpu_and_requests_per_colour},
        {"role policies are scoped", test_role_policies_are_scoped},
        {"sizes, retention and image settings", test_sizes_retention_and_image_settings},
        {"container port follows the balancer", test_container_port_follows_the_balancer},
        CU_TEST_INFO_NULL,
    };
    return th_main("ecs", tests);
}
