/* SPDX-License-Identifier: Apache-2.0 */
/* aurora.h - the helpers below the entry file aurora.c: settings checks,
 * network, secret and clusters. Each file writes its own resources and
 * never calls back into aurora.c. */
#ifndef AURORA_H
#define AURORA_H

#include <paygen/paygen.h>

#define AURORA_PORT 5432
/* The upper bound of database.instance_count. */
#define AURORA_MAX_INSTANCES 15

/* The database.* settings, filled by the core from aurora.c's table. */
typedef struct aurora_config {
    const char *engine_version; /* "15.4" */
    const char *instance_class;
    long instance_count;
    long backup_retention;
    const char *backup_window;
    const char *maintenance_window;
    const char *master_username;
    const char *database_name;
    const char *rotation_lambda; /* ARN of a rotation function, or "" */
    long rotation_days;
} aurora_config;

/* What one region's network pieces are, for its cluster. */
typedef struct aurora_net {
    cJSON *subnet_group;
    cJSON *security_group;
    cJSON *parameter_group;
} aurora_net;

/* checks.c: what RDS would refuse only at apply time, checked first. */
int aurora_check_settings(pg_out *out, const aurora_config *cfg);
int aurora_check_identifier(pg_out *out, const char *id, const char *what);
/* "15.4" -> "aurora-postgresql15"; NULL when the version is not N.N. */
const char *aurora_family(pg_out *out, const char *version);

/* network.c */
int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                   aurora_net *net);

/* secret.c: the master secret in the primary (replicated to the other
 * regions) and the generator its value comes from. */
typedef struct aurora_secret {
    cJSON *secret;
    cJSON *password; /* data.aws_secretsmanager_random_password */
} aurora_secret;
int aurora_secret_create(const pg_ctx *ctx, pg_out *out, aurora_secret *s);
void aurora_secret_version(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                           const aurora_secret *s, const cJSON *primary_cluster);
const char *aurora_secret_arn(const pg_ctx *ctx, pg_out *out, const aurora_secret *s,
                              const pg_region *r);
/* "${expr}" -> "expr", to embed a reference in a larger expression. */
const char *aurora_inner(pg_out *out, const char *ref);

/* cluster.c. The primary's instances, which every secondary cluster waits
 * for, are kept in an aurora_instances. */
typedef struct aurora_instances {
    const cJSON *blocks[AURORA_MAX_INSTANCES];
    size_t count;
} aurora_instances;

cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg);
cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                      const aurora_net *net, const cJSON *global, const aurora_secret *secret,
                      const aurora_instances *primary);
int aurora_instances_add(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                         const aurora_config *cfg, const cJSON *cluster,
                         const cJSON *monitoring_attachment, aurora_instances *made);

#endif
