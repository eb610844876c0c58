/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_data.c - the guardrails of stored data: S3 buckets (public
 * access, encryption, TLS only, versioning), Aurora and RDS (encryption,
 * forced SSL, deletion protection, backups, no public instances), and the
 * KMS encryption of SNS topics, DynamoDB tables (and their point-in-time
 * recovery) and Secrets Manager secrets. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"

/* ----- S3 */

static bool is_elb_log_bucket(pg_check_ctx *c, const cJSON *bucket)
{
    const char *purpose = pg_c_str(bucket, "tags.Purpose");
    if (purpose && (!strcmp(purpose, "elb-access-logs") || !strcmp(purpose, "alb-access-logs")))
        return true;
    return pg_c_referrer(c, "aws_lb", "access_logs.bucket", "aws_s3_bucket", bucket->string) ||
           pg_c_referrer(c, "aws_alb", "access_logs.bucket", "aws_s3_bucket", bucket->string);
}

void pg_rule_s3_public_access(pg_check_ctx *c)
{
    static const char *const flags[] = {"block_public_acls", "block_public_policy", "ignore_public_acls",
                                        "restrict_public_buckets"};
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *pab =
            pg_c_referrer(c, "aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket", b->string);
        if (!pab) {
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_public_access_block for this bucket");
            continue;
        }
        for (size_t i = 0; i < 4; i++)
            if (!pg_c_true(pab, flags[i]))
                VIOLATION(c, "aws_s3_bucket_public_access_block", pab, "%s is not true", flags[i]);
    }
}

void pg_rule_s3_encryption(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *sse = pg_c_referrer(c, "aws_s3_bucket_server_side_encryption_configuration", "bucket",
                                         "aws_s3_bucket", b->string);
        if (!sse) {
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_server_side_encryption_configuration");
            continue;
        }
        const cJSON *dflt = pg_c_path(sse, "rule.apply_server_side_encryption_by_default");
        const char *algo = pg_c_str(dflt, "sse_algorithm");
        const char *t = "aws_s3_bucket_server_side_encryption_configuration";
        if (algo && !strcmp(algo, "AES256") && is_elb_log_bucket(c, b))
            continue; /* ELB access logs can only be written with SSE-S3 */
        if (!algo || strncmp(algo, "aws:kms", 7))
            VIOLATION(c, t, sse, "sse_algorithm is %s, not aws:kms", algo ? algo : "not set");
        else if (!pg_c_is_cmk(pg_c_path(dflt, "kms_master_key_id")))
            VIOLATION(c, t, sse, "kms_master_key_id does not name a customer managed key");
    }
}

static void tls_statement(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)c;
    (void)address;
    *(bool *)user |= st->denies_insecure_transport;
}

void pg_rule_s3_tls_only(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *pol = pg_c_referrer(c, "aws_s3_bucket_policy", "bucket", "aws_s3_bucket", b->string);
        if (!pol) {
            VIOLATION(c, "aws_s3_bucket", b, "no bucket policy (one denying aws:SecureTransport=false)");
            continue;
        }
        bool denies = false;
        char *a = pg_c_addr("aws_s3_bucket_policy", pol->string);
        int rc = pg_c_statements(c, pg_c_path(pol, "policy"), a, tls_statement, &denies);
        if (rc != 0)
            pg_violation(c, a, "policy cannot be inspected (not a policy document reference or literal JSON)");
        else if (!denies)
            pg_violation(c, a, "no statement denies requests with aws:SecureTransport=false");
        free(a);
    }
}

void pg_rule_s3_versioning(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        if (pg_c_true(b, "versioning.enabled"))
            continue;
        const cJSON *v = pg_c_referrer(c, "aws_s3_bucket_versioning", "bucket", "aws_s3_bucket", b->string);
        const char *status = pg_c_str(v, "versioning_configuration.status");
        if (!v)
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_versioning for this bucket");
        else if (!status || strcmp(status, "Enabled"))
            VIOLATION(c, "aws_s3_bucket_versioning", v, "versioning status is %s, not Enabled",
                      status ? status : "not set");
    }
}

/* ----- RDS */

void pg_rule_rds_encryption(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        if (!pg_c_true(r, "storage_encrypted"))
            VIOLATION(c, "aws_rds_cluster", r, "storage_encrypted is not true");
        else if (!pg_c_is_cmk(pg_c_path(r, "kms_key_id")))
            VIOLATION(c, "aws_rds_cluster", r, "kms_key_id does not name a customer managed key");
    }
    PG_FOR_RES(c, "aws_rds_global_cluster", g)
    {
        if (!pg_c_true(g, "storage_encrypted") && !pg_c_path(g, "source_db_cluster_identifier"))
            VIOLATION(c, "aws_rds_global_cluster", g, "storage_encrypted is not true");
    }
}

static bool forces_ssl(const cJSON *group)
{
    const cJSON *params = pg_c_path(group, "parameter");
    const cJSON *one = cJSON_IsObject(params) ? params : NULL;
    for (const cJSON *p = one ? one : cJSON_IsArray(params) ? params->child : NULL; p; p = one ? NULL : p->next) {
        const char *name = pg_c_str(p, "name");
        if (name && !strcmp(name, "rds.force_ssl") && pg_c_num(p, "value", 0) == 1)
            return true;
    }
    return false;
}

void pg_rule_rds_force_ssl(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        const cJSON *ref = pg_c_path(r, "db_cluster_parameter_group_name");
        const cJSON *group = NULL;
        PG_FOR_RES(c, "aws_rds_cluster_parameter_group", g)
        {
            if (pg_c_mentions(ref, "aws_rds_cluster_parameter_group", g->string))
                group = g;
        }
        if (!group)
            VIOLATION(c, "aws_rds_cluster", r, "no cluster parameter group of this stack is used (default groups do not force SSL)");
        else if (!forces_ssl(group))
            VIOLATION(c, "aws_rds_cluster_parameter_group", group, "rds.force_ssl is not 1");
    }
}

void pg_rule_rds_deletion_protection(pg_check_ctx *c)
{
    if (c->protection == 0)
        return; /* the profile turned protection off (a throw-away environment) */
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        if (!pg_c_true(r, "deletion_protection"))
            VIOLATION(c, "aws_rds_cluster", r, "deletion_protection is not true while protection is on");
    }
    PG_FOR_RES(c, "aws_rds_global_cluster", g)
    {
        if (!pg_c_true(g, "deletion_protection"))
            VIOLATION(c, "aws_rds_global_cluster", g, "deletion_protection is not true while protection is on");
    }
}

void pg_rule_rds_backup(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        double days = pg_c_num(r, "backup_retention_period", 1);
        if (days < 7)
            VIOLATION(c, "aws_rds_cluster", r, "backup_retention_period is %g days, less than 7", days);
    }
}

void pg_rule_rds_not_public(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_rds_cluster_instance", "aws_db_instance"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], r)
        {
            if (pg_c_true(r, "publicly_accessible"))
                VIOLATION(c, types[i], r, "publicly_accessible is true");
        }
}

/* ----- messaging, tables, secrets */

void pg_rule_sns_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_sns_topic", t)
    {
        if (!pg_c_is_cmk(pg_c_path(t, "kms_master_key_id")))
            VIOLATION(c, "aws_sns_topic", t, "kms_master_key_id does not name a customer managed key");
    }
}

void pg_rule_dynamodb_pitr(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_dynamodb_table", t)
    {
        if (!pg_c_true(t, "point_in_time_recovery.enabled"))
            VIOLATION(c, "aws_dynamodb_table", t, "point_in_time_recovery is not enabled");
    }
}

void pg_rule_dynamodb_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_dynamodb_table", t)
    {
        if (!pg_c_true(t, "server_side_encryption.enabled") ||
            !pg_c_is_cmk(pg_c_path(t, "server_side_encryption.kms_key_arn")))
            VIOLATION(c, "aws_dynamodb_table", t, "server_side_encryption does not use a customer managed key");
    }
}

void pg_rule_secret_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_secretsmanager_secret", s)
    {
        if (!pg_c_is_cmk(pg_c_path(s, "kms_key_id")))
            VIOLATION(c, "aws_secretsmanager_secret", s, "kms_key_id does not name a customer managed key");
    }
}
