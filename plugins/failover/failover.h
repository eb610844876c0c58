/* SPDX-License-Identifier: Apache-2.0 */
/* failover.h - the helper below the entry file failover.c. */
#ifndef PG_FAILOVER_H
#define PG_FAILOVER_H

#include <paygen/paygen.h>

/* Regions a profile may list; more is refused before anything is written. */
#define FAILOVER_MAX_REGIONS 16

/* What the function touches, each resource named: its permissions are
 * scoped to exactly these. */
typedef struct failover_scope {
    const char *global_cluster_arn; /* aurora.global_cluster_arn */
    const char *boundary_arn;       /* iam.boundary.arn of the region */
    const char *const *cluster_arns; /* every member cluster, one per active region */
    size_t cluster_count;
    const char *const *health_check_arns; /* the other regions' Route 53 health checks */
    size_t health_check_count;
    const char *topic_arn;      /* the SNS topic it notifies            */
    const char *topic_key_arn;  /* the key that encrypts that topic     */
    const char *log_group_arn;  /* its own log group                    */
} failover_scope;

/* The function's role (trusted by Lambda) and the aws_iam_role_policy that
 * lets it do exactly what the function does; returns the policy block (for
 * depends_on) and sets *role to the role block. */
cJSON *failover_role(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                     const failover_scope *scope, cJSON **role);

#endif
