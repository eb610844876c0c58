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
    const char *rotation_app_version; /* the pinned SAR version of AWS's function */
    long rotation_days;
    bool write_forwarding; /* secondaries forward writes to the writer */
    const char *app_username; /* IAM-authenticated application user */
    const char *log_retention_days; /* one of the CloudWatch Logs values, >= 365 */
    long slow_statement_ms;         /* log_min_duration_statement; -1: off */
    const char *adopted_log_group;  /* "import" or "create" */
} aurora_config;

/* What one region's network pieces are, for its cluster. */
typedef struct aurora_net {
    cJSON *subnet_group;    /* NULL for the adopted primary: it keeps today's */
    cJSON *security_group;  /* the group that admits the new platform to this
                             * region's cluster (the adopted primary: the same
                             * block as legacy_security_group) */
    cJSON *parameter_group;
    /* legacy.database.move "adopt", primary region only (else NULL): the one
     * group paygen makes in the legacy VPC; the adopted cluster's
     * vpc_security_group_ids = today's groups + this one. */
    cJSON *legacy_security_group;
} aurora_net;

/* adopt.c: today's database and how it reaches the global database, from
 * the legacy plugin's legacy.database.* publications. */
typedef enum aurora_move {
    AURORA_MOVE_NONE,    /* no database today: a new primary, empty-first global cluster */
    AURORA_MOVE_ADOPT,   /* today's Aurora cluster becomes the primary (import) */
    AURORA_MOVE_REPLICA, /* an Aurora read replica of today's RDS instance, promoted */
    AURORA_MOVE_DMS      /* a new primary as with none; the dms plugin moves the data */
} aurora_move;

typedef struct aurora_legacy {
    aurora_move move;
    const char *version;     /* what every cluster runs (adopt: today's version) */
    long port;               /* of every cluster (adopt: today's port) */
    const char *identifier;  /* today's cluster or instance */
    const char *arn;         /* its ARN (a Terraform string) */
    const char *kms_key_arn; /* adopt: today's storage key */
    const char *subnet_group, *master_username;          /* adopt */
    const cJSON *security_group_ids, *instance_ids;      /* adopt: lists of literals */
} aurora_legacy;

int aurora_legacy_read(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                       aurora_legacy *legacy);
/* The primary cluster exists before the global cluster, which wraps it with
 * source_db_cluster_identifier (adopt, replica). */
bool aurora_wraps(const aurora_legacy *legacy);
/* The primary is still an Aurora read replica of today's instance. */
bool aurora_is_replica(const pg_ctx *ctx, const aurora_legacy *legacy);
/* The database port every cluster listens on (adopt: today's). */
long aurora_port(const pg_ctx *ctx);

/* checks.c: what RDS would refuse only at apply time, checked first. */
int aurora_check_settings(pg_out *out, const aurora_config *cfg);
int aurora_check_identifier(pg_out *out, const char *id, const char *what);
/* The same rules, quietly: RDS stores identifiers in lowercase, so an
 * imported one must be written the way RDS returns it. */
bool aurora_identifier_ok(const char *id);
/* "15.4" -> "aurora-postgresql15"; NULL when the version is not N.N. */
const char *aurora_family(pg_out *out, const char *version);
/* "15.4" -> 15 and 4; false when the version is not N.N. */
bool aurora_version_parse(const char *version, int *major, int *minor);
/* Whether an Aurora global database runs this version; key names the
 * profile key the version came from, for the error. */
int aurora_check_global_version(pg_out *out, const char *version, const char *key);

/* logs.c: each cluster's postgresql log group and what the parameter group
 * lets into it (no bind values; pgaudit). */
/* The group of the cluster named cluster_identifier in region r, created
 * before it (import: brought under management, RDS made it already). */
cJSON *aurora_log_group(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                        const aurora_config *cfg, const char *cluster_identifier, bool import);
/* What the logging settings cannot do with the version every cluster runs. */
int aurora_check_logging(pg_out *out, const aurora_config *cfg, const char *version);
/* The logging and audit parameters, onto a cluster parameter group. */
void aurora_log_parameters(pg_out *out, const aurora_config *cfg, cJSON *group);

/* network.c */
int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                   aurora_net *net);

/* secret.c: the master secret in the primary (replicated to the other
 * regions) and, when paygen creates the primary with master credentials, the
 * generator its value comes from. An adopted cluster keeps today's password
 * and a promoted replica today's users: the secret then gets no value from
 * Terraform (docs/database.md, "Master credentials of an adopted database"). */
typedef struct aurora_secret {
    cJSON *secret;
    cJSON *password; /* data.aws_secretsmanager_random_password, or NULL */
} aurora_secret;
int aurora_secret_create(const pg_ctx *ctx, pg_out *out, bool generated, aurora_secret *s);
cJSON *aurora_secret_version(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                             const aurora_secret *s, const cJSON *primary_cluster);
/* rotation.c: the master secret's rotation, by the operator's function or
 * AWS's PostgreSQL single-user one deployed by the stack. */
int aurora_rotation(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                    const aurora_secret *s, const aurora_net *net, long port, const cJSON *version);
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

/* The identifier of region r's cluster (adopt: today's); "" after an error. */
const char *aurora_cluster_identifier(pg_out *out, const pg_region *r,
                                      const aurora_legacy *legacy);
/* Empty-first (source NULL), or wrapping the primary cluster source. */
cJSON *aurora_global_cluster(const pg_ctx *ctx, pg_out *out, const aurora_legacy *legacy,
                             const cJSON *source);
cJSON *aurora_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                      const aurora_legacy *legacy, const aurora_net *net, const cJSON *global,
                      const aurora_secret *secret, const aurora_instances *primary);
int aurora_instances_add(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                         const aurora_config *cfg, const aurora_legacy *legacy,
                         const cJSON *cluster, const cJSON *monitoring_attachment,
                         aurora_instances *made);

/* What every member cluster gets, new or adopted: parameter group, backups,
 * windows, logs, IAM authentication. */
void aurora_cluster_common(pg_out *out, const aurora_config *cfg, const aurora_net *net,
                           cJSON *cluster);
/* The hardening every instance gets, new or adopted. */
void aurora_instance_common(pg_out *out, const aurora_config *cfg, const char *monitoring_role,
                            const cJSON *monitoring_attachment, long n, cJSON *instance);

/* adopt.c: the adopted cluster and its instances in the primary region. */
cJSON *aurora_adopted_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                              const aurora_config *cfg, const aurora_legacy *legacy,
                              const aurora_net *net);
int aurora_adopted_instances(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                             const aurora_config *cfg, const aurora_legacy *legacy,
                             const cJSON *cluster, const cJSON *monitoring_attachment,
                             aurora_instances *made);

#endif
