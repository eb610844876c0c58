/* SPDX-License-Identifier: Apache-2.0 */
/* migration.h - the helper below the entry file migration.c. */
#ifndef PG_MIGRATION_H
#define PG_MIGRATION_H

#include <paygen/paygen.h>

/* What the function's permissions are scoped to. */
typedef struct migration_scope {
    const char *partition;      /* aws.partition                         */
    const char *zone_arn;       /* the hosted zone                       */
    const char *record_name;    /* FQDN the function may change          */
    const char *namespace_name; /* the only metric namespace it writes   */
    const char *log_group_arn;  /* its own log group                     */
    const char *parameter_arn;  /* the phase parameter it reads          */
    bool tracing;               /* X-Ray active tracing on               */
} migration_scope;

/* The aws_iam_role_policy that gives the migration Lambda's role exactly
 * what the function does; returns its block (for depends_on). */
cJSON *migration_role_policy(pg_out *out, const pg_region *primary, const char *role_name,
                             const migration_scope *scope);

#endif
