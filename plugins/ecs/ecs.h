/* SPDX-License-Identifier: Apache-2.0 */
/* ecs.h - shared between the files of the ecs plugin. ecs.c calls the others;
 * they call nothing of ecs.c. */
#ifndef PG_ECS_H
#define PG_ECS_H

#include <paygen/paygen.h>

/* The one container of the task; load balancer bindings name it. */
#define ECS_CONTAINER "payment-api"
/* The regions a task may reach the database in (rds-db:connect). */
#define ECS_MAX_REGIONS 8

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
    long image_keep_count;    /* tagged images a repository keeps */
    long image_untagged_days; /* 0: untagged images never expire */
} ecs_config;

/* The two colours of a region, each a service with its own task definition
 * and image variable, registered in its own target group (alb.target_group.
 * <name>.*). Blue keeps the labels and names of the single service it
 * replaces: an ECS service's name cannot change in place, and a replaced
 * service would stop the tasks serving today. */
typedef struct ecs_colour {
    const char *name;  /* "blue": target group, variables, locals */
    const char *label; /* resource label: "api", "api_green" */
    const char *kind;  /* pg_name kind: "api", "api-green" */
} ecs_colour;
extern const ecs_colour ecs_colours[2];

/* One region's services, filled as their pieces are written. */
typedef struct ecs_site {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const ecs_config *cfg;
    const char *repository_name; /* the same in every region */
    long port; /* the container port: alb.target_port */
    cJSON *repository;   /* aws_ecr_repository */
    cJSON *image[2];     /* data aws_ecr_image, by colour */
    cJSON *const *primary_image; /* the primary region's image[] */
    cJSON *cluster;
    cJSON *log_group;
    cJSON *task[2];      /* aws_ecs_task_definition, by colour */
    cJSON *service[2];   /* aws_ecs_service, by colour */
    cJSON *policies[2];  /* role policies of the execution and task roles */
    const char *floor[2]; /* ${local.ecs_tasks_<colour>_<code>}: fewest tasks, by colour */
} ecs_site;

/* ecs.c: the expression inside a lone "${...}" interpolation (for
 * composing it into a larger one); NULL and an error naming the key if the
 * value is not one. */
const char *ecs_expression(ecs_site *s, const char *key, const char *value);

/* ecs_checks.c: checks of the settings that bounds and choices cannot express. */
int ecs_check_settings(const ecs_config *cfg, pg_out *out);

/* ecs_registry.c: the region's repository, its lifecycle policy and the
 * lookup of each colour's image (s->image). */
int ecs_registry(ecs_site *s);
/* ecs_registry.c: the precondition that holds a colour's service until its
 * image is in the region (and, outside the primary, is the primary's). */
void ecs_image_precondition(ecs_site *s, size_t c, cJSON *service);

/* ecs_task.c: log group and the colours' task definitions. */
int ecs_task(ecs_site *s);
/* ecs_iam.c: permissions of the execution and task roles; needs the log group. */
int ecs_permissions(ecs_site *s);
/* ecs_service.c: cluster, the colours' services, and the application tier's
 * ingress from the balancer. */
int ecs_service(ecs_site *s);
/* ecs_scaling.c: per colour, an Application Auto Scaling target and its
 * target-tracking policies (needs s->floor). */
int ecs_scaling(ecs_site *s);

#endif
