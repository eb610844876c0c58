/* SPDX-License-Identifier: Apache-2.0 */
/* dms.h - what dms.c hands down to the files that write one part of the move
 * each: checks.c (settings), network.c (where the replication instance sits
 * and whom it reaches), access.c (the role that reads the two secrets, the
 * task log group, the account-level roles DMS needs) and task.c (instance,
 * endpoints, task). None of them calls back into dms.c. */
#ifndef PG_DMS_H
#define PG_DMS_H

#include <paygen/paygen.h>

/* The dms.* settings, filled by the core from dms.c's table. */
typedef struct dms_config {
    const char *instance_class;
    long allocated_storage;
    const char *engine_version;      /* "" = the DMS default version */
    const char *maintenance_window;  /* ddd:hh:mi-ddd:hh:mi UTC */
    pg_list schemas;                 /* schemas whose tables move */
    const char *source_database;
    const char *target_database;
    const char *ca_certificate_arn;  /* "" = ssl_mode require */
    const char *target_table_prep_mode;
    long lob_max_kb;
    const char *log_retention_days;
} dms_config;

/* Everything the move reads from the other plugins, in the primary region. */
typedef struct dms_inputs {
    const pg_region *r;
    const char *account;
    const char *source_secret_arn; /* legacy.database.secret_arn */
    const char *source_port;       /* legacy.database.port */
    const char *legacy_cidr;       /* legacy.cidr */
    const char *vpc_id, *vpc_cidr;
    const cJSON *subnet_ids;       /* vpc.data_subnet_ids */
    const char *aurora_secret_arn, *aurora_sg, *aurora_port;
    const char *database_key;      /* kms.database.arn */
    const char *logs_key;          /* kms.logs.arn */
} dms_inputs;

/* checks.c: the settings, each problem reported with where it was set. */
int dms_check_settings(pg_out *out, const dms_config *cfg, const dms_inputs *in);

/* network.c */
typedef struct dms_net {
    cJSON *subnet_group;
    cJSON *security_group;
} dms_net;
typedef struct dms_access dms_access;
void dms_network(pg_out *out, const dms_inputs *in, const dms_access *a, dms_net *net);

/* access.c: the account-wide roles DMS needs (looked up, never created), the
 * role that reads exactly the two secrets, and the task log group. */
struct dms_access {
    cJSON *vpc_role, *logs_role; /* data.aws_iam_role */
    cJSON *secrets_role, *secrets_policy;
    cJSON *log_group;
};
void dms_account_roles(pg_out *out, dms_access *a);
void dms_secrets_role(const pg_ctx *ctx, pg_out *out, const dms_inputs *in, dms_access *a);
void dms_log_group(pg_out *out, const dms_config *cfg, const dms_inputs *in,
                   const char *instance_id, dms_access *a);
/* "${...}" that holds when the looked-up role trusts DMS: the condition of a
 * precondition on the resource that needs the role. */
const char *dms_trusts_dms(pg_out *out, const cJSON *role);

/* task.c */
void dms_replication(pg_out *out, const dms_config *cfg, const dms_inputs *in, const dms_net *net,
                     const dms_access *a, const char *instance_id);

#endif
