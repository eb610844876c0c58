/* SPDX-License-Identifier: Apache-2.0 */
/* iam.h - what iam.c and boundary.c share inside the iam plugin. */
#ifndef PG_IAM_H
#define PG_IAM_H

#include <paygen/paygen.h>

typedef struct iam_config {
    pg_list metric_namespaces; /* CloudWatch namespaces roles may publish to */
} iam_config;

/* arn:<partition>:<service>:<region>:<account>:<resource> of a resource given
 * as "<service>:<resource part of the ARN>" ("ecs:cluster/x"). */
const char *iam_arn(const pg_ctx *ctx, pg_out *out, const pg_region *region, const char *resource);

/* The region's permissions boundary (an aws_iam_policy block); every role of
 * the platform in that region is capped by it. */
cJSON *iam_boundary(const pg_ctx *ctx, pg_out *out, const pg_region *region);

#endif
