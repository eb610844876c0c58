/* aurora.h - shared between the files of the aurora plugin. */
#ifndef AURORA_H
#define AURORA_H

#include <paygen/paygen.h>

#define AURORA_PORT 5432

/* Validated settings of one run. */
typedef struct aurora_cfg {
    const char *engine_version; /* "15.4"                        */
    const char *family;         /* "aurora-postgresql15"         */
    const char *instance_class;
    const char *master_username;
    const char *database_name;
    const char *backup_window;
    const char *maintenance_window;
    long backup_retention;
    long instance_count;
    const char *rotation_lambda; /* ARN of a rotation function, or "" */
    long rotation_days;
} aurora_cfg;

/* What one region's network pieces are, for its cluster. */
typedef struct aurora_net {
    cJSON *subnet_group;
    cJSON *security_group;
    cJSON *parameter_group;
} aurora_net;

/* checks.c */
int aurora_read_cfg(const pg_ctx *ctx, pg_out *out, aurora_cfg *cfg);
int aurora_check_identifier(pg_out *out, const char *id, const char *what);

/* "${expr}" -> "expr", to embed a reference in a larger expression. */
const char *aurora_inner(pg_out *out, const char *ref);

/* network.c */
int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                   aurora_net *net);

/* secret.c: the master secret in the primary (replicated to the other
 * regions) and the generator its value comes from. */
typedef struct aurora_secret {
    cJSON *secret;
    cJSON *password; /* data.aws_secretsmanager_random_password */
} aurora_secret;
void aurora_secret_create(const pg_ctx *ctx, pg_out *out, aurora_secret *s);
void aurora_secret_version(const pg_ctx *ctx, pg_out *out, const aurora_cfg *cfg,
                           const aurora_secret *s, const cJSON *primary_cluster);
const char *aurora_secret_arn(const pg_ctx *ctx, pg_out *out, const aurora_secret *s,
                              const pg_region *r);

/* cluster.c */
cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_cfg *cfg);
cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                      const aurora_net *net, const cJSON *global, const aurora_secret *secret,
                      const cJSON *primary_instances);
/* The cluster instances; returns a JSON array of their bare addresses (owned by the caller). */
cJSON *aurora_instances(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                        const cJSON *cluster, const cJSON *monitoring_attachment);

#endif
