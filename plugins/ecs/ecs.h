/* SPDX-License-Identifier: Apache-2.0 */
/* ecs.h - shared between the files of the ecs plugin. ecs.c calls the others;
 * they call nothing of ecs.c. */
#ifndef PG_ECS_H
#define PG_ECS_H

#include <paygen/paygen.h>

/* The one container of the task; load balancer bindings name it. */
#define ECS_CONTAINER "payment-api"

/* Settings of one run. */
typedef struct ecs_config {
    const char *image_repository;
    const char *image_tag;
    const char *image_digest; /* "" runs the tag */
    long cpu, memory;
    const char *cpu_architecture;
    const char *log_retention_days; /* a choice: the CloudWatch Logs periods */
    long min_tasks, max_tasks;
    long cpu_target_percent;
    long requests_per_target;
    long health_check_grace_seconds;
} ecs_config;

/* One region's service, filled as its pieces are written. */
typedef struct ecs_site {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const ecs_config *cfg;
    long port; /* the container port: alb.target_port */
    cJSON *cluster;
    cJSON *log_group;
    cJSON *task; /* aws_ecs_task_definition */
    cJSON *service;
    cJSON *policies[2];  /* role policies of the execution and task roles */
    const char *desired; /* ${var.desired_count_<code>} */
} ecs_site;

/* ecs_checks.c: checks of the settings that bounds and choices cannot express. */
int ecs_check_settings(const ecs_config *cfg, pg_out *out);

/* ecs_task.c: log group and task definition. */
int ecs_task(ecs_site *s);
/* ecs_iam.c: permissions of the execution and task roles; needs the log group. */
int ecs_permissions(ecs_site *s);
/* ecs_service.c: cluster, service, and the application tier's ingress from the balancer. */
int ecs_service(ecs_site *s);
/* ecs_scaling.c: Application Auto Scaling target and target-tracking policies. */
int ecs_scaling(ecs_site *s);

#endif
