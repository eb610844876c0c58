/* SPDX-License-Identifier: Apache-2.0 */
/* kms - customer-managed keys per active region and purpose (R9).
 *
 * One key per (region, purpose), never shared across regions: S3 treats
 * multi-Region keys as single-Region ones, and a replica must be encrypted
 * with a key of its own region. Each key policy lets exactly the services of
 * its purpose use the key; the account root keeps administration and may
 * delegate use to IAM policies (which the iam plugin scopes per role).
 *
 * Publishes, per region: kms.<purpose>.arn, kms.<purpose>.id, kms.<purpose>.alias
 * for purpose in database, storage, logs, notifications, images. */
#include <paygen/aws.h>
#include <paygen/paygen.h>
#include <string.h>

typedef struct kms_config {
    long deletion_window_days;
} kms_config;

typedef struct purpose {
    const char *name;        /* label and reference name */
    const char *description;
} purpose;

static const purpose purposes[] = {
    {"database", "Aurora storage, snapshots and the database master secret"},
    {"storage", "S3 transaction-log and audit-trail buckets and their replicas"},
    {"logs", "audit logs: CloudWatch Logs groups (flow logs, ECS, Lambda, CloudTrail) and the trail"},
    {"notifications", "SNS alarm topics"},
    {"images", "ECR repositories of the application image"},
};

/* The audit trail (plugin audit) lives in the primary region and encrypts its
 * log files with the primary's storage key, the key of the audit-trail bucket
 * it writes to: CloudTrail may create data keys for trails of this account,
 * and decrypt, which it needs on a bucket with an S3 Bucket Key (CloudTrail UG
 * create-kms-key-policy-for-cloudtrail.html); readers decrypt through IAM. */
static void cloudtrail_use(pg_out *out, cJSON *doc, const char *partition, const char *account)
{
    const char *trails = pg_printf(out, "arn:%s:cloudtrail:*:%s:trail/*", partition, account);
    pg_block(out, doc, "statement",
             PG_STR("sid", "CloudTrailEncrypt"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:GenerateDataKey*"),
             PG_STRS("resources", "*"),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"),
             PG_CONDITION("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", trails),
             PG_CONDITION("StringLike", "aws:SourceArn", trails));
    pg_block(out, doc, "statement",
             PG_STR("sid", "CloudTrailBucketKey"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:Decrypt"),
             PG_STRS("resources", "*"),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"),
             PG_CONDITION("StringLike", "aws:SourceArn", trails));
    pg_block(out, doc, "statement",
             PG_STR("sid", "CloudTrailDescribe"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:DescribeKey"),
             PG_STRS("resources", "*"),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"),
             PG_CONDITION("StringLike", "aws:SourceArn", trails));
    pg_block(out, doc, "statement",
             PG_STR("sid", "CloudTrailLogReaders"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:Decrypt", "kms:ReEncryptFrom"),
             PG_STRS("resources", "*"),
             PG_PRINCIPALS("AWS", pg_printf(out, "arn:%s:iam::%s:root", partition, account)),
             PG_CONDITION("StringEquals", "kms:CallerAccount", account),
             PG_CONDITION("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", trails));
}

static void service_use(const pg_ctx *ctx, pg_out *out, const pg_region *r, cJSON *doc,
                        const char *purpose_name)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    const char *root = pg_printf(out, "arn:%s:iam::%s:root", partition, account);

    if (!strcmp(purpose_name, "logs")) {
        pg_block(out, doc, "statement",
                 PG_STR("sid", "CloudWatchLogsUse"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                         "kms:GenerateDataKey*", "kms:Describe*"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("Service", pg_printf(out, "logs.%s.amazonaws.com", r->name)),
                 PG_CONDITION("ArnLike", "kms:EncryptionContext:aws:logs:arn",
                              pg_printf(out, "arn:%s:logs:%s:%s:log-group:*", partition, r->name,
                                        account)));
    } else if (!strcmp(purpose_name, "notifications")) {
        /* Without cloudwatch.amazonaws.com here, alarms on an encrypted topic
         * are dropped silently; events.rds.amazonaws.com publishes the
         * database's event subscriptions (writer moves). */
        pg_block(out, doc, "statement",
                 PG_STR("sid", "AlarmsAndSnsUse"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Decrypt", "kms:GenerateDataKey*"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("Service", "cloudwatch.amazonaws.com", "sns.amazonaws.com",
                               "events.rds.amazonaws.com"),
                 PG_CONDITION("StringEquals", "aws:SourceAccount", account));
        /* A role that publishes to the encrypted topic (the failover
         * function) needs the key through SNS; its IAM policy names the key. */
        pg_block(out, doc, "statement",
                 PG_STR("sid", "AccountPublishViaSns"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Decrypt", "kms:GenerateDataKey*"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_CONDITION("StringEquals", "kms:ViaService",
                              pg_printf(out, "sns.%s.amazonaws.com", r->name)),
                 PG_CONDITION("StringEquals", "kms:CallerAccount", account));
    } else if (!strcmp(purpose_name, "storage")) {
        pg_block(out, doc, "statement",
                 PG_STR("sid", "S3Use"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                         "kms:GenerateDataKey*", "kms:DescribeKey"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_CONDITION("StringEquals", "kms:ViaService",
                              pg_printf(out, "s3.%s.amazonaws.com", r->name)));
        if (r->primary)
            cloudtrail_use(out, doc, partition, account);
    } else if (!strcmp(purpose_name, "images")) {
        /* ECR checks the key and makes two grants per repository at creation,
         * with the creator's rights, and encrypts and decrypts layers through
         * them; pulls need no KMS permission (ECR User Guide, "Encryption at
         * rest"). */
        const char *ecr = pg_printf(out, "ecr.%s.amazonaws.com", r->name);
        pg_block(out, doc, "statement",
                 PG_STR("sid", "EcrDescribe"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:DescribeKey"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_CONDITION("StringEquals", "kms:ViaService", ecr),
                 PG_CONDITION("StringEquals", "kms:CallerAccount", account));
        pg_block(out, doc, "statement",
                 PG_STR("sid", "EcrGrants"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:CreateGrant"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_CONDITION("StringEquals", "kms:ViaService", ecr),
                 PG_CONDITION("StringEquals", "kms:CallerAccount", account),
                 PG_CONDITION("Bool", "kms:GrantIsForAWSResource", "true"));
    } else if (!strcmp(purpose_name, "database")) {
        const char *rds = pg_printf(out, "rds.%s.amazonaws.com", r->name);
        const char *secrets = pg_printf(out, "secretsmanager.%s.amazonaws.com", r->name);
        /* DMS encrypts its replication storage and endpoint settings with the
         * key while it moves today's instance (docs/dms.md); only then. */
        const char *move = r->primary ? pg_lookup(ctx, NULL, "legacy.database.move") : NULL;
        const char *services[] = {rds, secrets, pg_printf(out, "dms.%s.amazonaws.com", r->name)};
        size_t service_count = move && !strcmp(move, "dms") ? 3 : 2;
        /* RDS uses the key through grants it creates for its own resources. */
        pg_block(out, doc, "statement",
                 PG_STR("sid", "RdsGrants"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_CONDITION("Bool", "kms:GrantIsForAWSResource", "true"),
                 PG_BLOCK("condition",
                          PG_STR("test", "StringEquals"),
                          PG_STR("variable", "kms:ViaService"),
                          PG_STRV("values", services, service_count)));
        pg_block(out, doc, "statement",
                 PG_STR("sid", "RdsAndSecretsUse"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                         "kms:GenerateDataKey*", "kms:DescribeKey"),
                 PG_STRS("resources", "*"),
                 PG_PRINCIPALS("AWS", root),
                 PG_BLOCK("condition",
                          PG_STR("test", "StringEquals"),
                          PG_STR("variable", "kms:ViaService"),
                          PG_STRV("values", services, service_count)));
    }
}

static cJSON *key_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r, const purpose *p)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", pg_printf(out, "kms_%s", p->name));
    pg_aws_key_administration(out, doc, pg_printf(out, "arn:%s:iam::%s:root", partition, account));
    service_use(ctx, out, r, doc, p->name);
    return doc;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const kms_config *cfg = pg_config(ctx);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        for (size_t k = 0; k < sizeof purposes / sizeof *purposes; k++) {
            const purpose *p = &purposes[k];
            cJSON *policy = key_policy(ctx, out, r, p);
            cJSON *key = pg_resource(out, r, "aws_kms_key", p->name,
                                     PG_STR("description",
                                            pg_printf(out, "%s (%s)", p->description, r->name)),
                                     PG_STR("key_usage", "ENCRYPT_DECRYPT"),
                                     PG_STR("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
                                     PG_BOOL("enable_key_rotation", true),
                                     PG_INT("deletion_window_in_days", cfg->deletion_window_days),
                                     PG_BOOL("multi_region", false),
                                     PG_REF("policy", policy, "json"),
                                     PG_NAME(pg_printf(out, "kms-%s", p->name)),
                                     PG_PROTECT);
            cJSON *alias = pg_resource(out, r, "aws_kms_alias", p->name,
                                       PG_STR("name", pg_printf(out, "alias/%s",
                                                                pg_name(out, r, p->name, 250))),
                                       PG_REF("target_key_id", key, "key_id"));

            const char *prefix = pg_printf(out, "kms.%s", p->name);
            pg_publish_refs(out, r, prefix, key, "arn");
            pg_publish_string(out, r, pg_printf(out, "%s.id", prefix), pg_ref(out, key, "key_id"));
            pg_publish_string(out, r, pg_printf(out, "%s.alias", prefix),
                              pg_ref(out, alias, "name"));
        }
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"kms.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"kms.*.id", PG_REGIONAL, PG_KIND_STRING},
    {"kms.*.alias", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"legacy", NULL};

static const pg_setting settings[] = {
    PG_SETTING_INT("kms.deletion_window_days", kms_config, deletion_window_days, "30", 7, 30,
                   "waiting period before a scheduled key deletion takes effect"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("kms", "1.0.0", "Apache-2.0",
                 "customer-managed KMS keys per region and purpose, with rotation and aliases",
                 publishes, needs, settings, sizeof(kms_config), contribute)
