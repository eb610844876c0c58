/* ecs.h - what the parts of the ecs plugin share for one region. */
#ifndef PG_ECS_H
#define PG_ECS_H

#include <paygen/paygen.h>

/* The one container of the task; load balancer bindings name it. */
#define ECS_CONTAINER "payment-api"

typedef struct ecs_site {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    long port; /* compute.container_port */
    cJSON *cluster;
    cJSON *log_group;
    cJSON *task; /* aws_ecs_task_definition */
    cJSON *service;
    cJSON *policies[2];  /* role policies of the execution and task roles */
    const char *desired; /* ${var.desired_count_<code>} */
} ecs_site;

/* A string reference of the region (NULL region: global) that must exist;
 * reports it when missing. */
const char *ecs_need(ecs_site *s, const pg_region *r, const char *name);
/* Appends a nested block (an object) to parent's list key and returns it. */
cJSON *ecs_block(cJSON *parent, const char *key);

/* Checks of the settings that bounds alone cannot express. */
int ecs_check_settings(const pg_ctx *ctx, pg_out *out);
/* The image reference and the ARN of its ECR repository in the region. */
const char *ecs_image(ecs_site *s);
const char *ecs_repository_arn(ecs_site *s);

/* Log group and task definition. */
int ecs_task(ecs_site *s);
/* Permissions of the execution and task roles; needs the log group. */
int ecs_permissions(ecs_site *s);
/* Cluster, service, and the application tier's ingress from the balancer. */
int ecs_service(ecs_site *s);
/* Application Auto Scaling target and target-tracking policies. */
int ecs_scaling(ecs_site *s);

#endif
