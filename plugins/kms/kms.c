/* kms - customer-managed keys per active region and purpose (R9).
 *
 * One key per (region, purpose), never shared across regions: S3 treats
 * multi-Region keys as single-Region ones, and a replica must be encrypted
 * with a key of its own region. Each key policy lets exactly the services of
 * its purpose use the key; the account root keeps administration and may
 * delegate use to IAM policies (which the iam plugin scopes per role).
 *
 * Publishes, per region: kms.<purpose>.arn, kms.<purpose>.id, kms.<purpose>.alias
 * for purpose in database, storage, logs, notifications. */
#include <paygen/paygen.h>
#include <string.h>

typedef struct purpose {
    const char *name;        /* label and reference name */
    const char *description;
} purpose;

static const purpose purposes[] = {
    {"database", "Aurora storage, snapshots and the database master secret"},
    {"storage", "S3 transaction-log and audit-trail buckets and their replicas"},
    {"logs", "audit logs: CloudWatch Logs groups (flow logs, ECS, Lambda, CloudTrail) and the trail"},
    {"notifications", "SNS alarm topics"},
};

/* Administration without kms:* : the actions a key administrator needs, and
 * use delegated to IAM policies of the account. */
static cJSON *admin_actions(void)
{
    return pg_strings("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                      "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                      "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                      "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand", NULL);
}

/* The audit trail (plugin audit) lives in the primary region and encrypts its
 * log files with the primary's logs key: CloudTrail may create data keys for
 * trails of this account, and readers decrypt through IAM. */
static void cloudtrail_use(pg_out *out, cJSON *doc, const char *partition, const char *account)
{
    const char *trails = pg_printf(out, "arn:%s:cloudtrail:*:%s:trail/*", partition, account);
    cJSON *st = pg_statement(doc, "CloudTrailEncrypt", "Allow", pg_strings("kms:GenerateDataKey*", NULL),
                             pg_strings("*", NULL));
    pg_statement_principal(st, "Service", pg_strings("cloudtrail.amazonaws.com", NULL));
    pg_statement_condition(st, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn",
                           pg_strings(trails, NULL));
    pg_statement_condition(st, "StringLike", "aws:SourceArn", pg_strings(trails, NULL));
    st = pg_statement(doc, "CloudTrailDescribe", "Allow", pg_strings("kms:DescribeKey", NULL),
                      pg_strings("*", NULL));
    pg_statement_principal(st, "Service", pg_strings("cloudtrail.amazonaws.com", NULL));
    pg_statement_condition(st, "StringLike", "aws:SourceArn", pg_strings(trails, NULL));
    st = pg_statement(doc, "CloudTrailLogReaders", "Allow",
                      pg_strings("kms:Decrypt", "kms:ReEncryptFrom", NULL), pg_strings("*", NULL));
    pg_statement_principal(st, "AWS", pg_strings(pg_printf(out, "arn:%s:iam::%s:root", partition, account), NULL));
    pg_statement_condition(st, "StringEquals", "kms:CallerAccount", pg_strings(account, NULL));
    pg_statement_condition(st, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn",
                           pg_strings(trails, NULL));
}

static void service_use(const pg_ctx *ctx, pg_out *out, const pg_region *r, cJSON *doc,
                        const char *purpose_name)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    const char *root = pg_printf(out, "arn:%s:iam::%s:root", partition, account);
    cJSON *st;

    if (!strcmp(purpose_name, "logs")) {
        st = pg_statement(doc, "CloudWatchLogsUse", "Allow",
                          pg_strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                     "kms:GenerateDataKey*", "kms:Describe*", NULL),
                          pg_strings("*", NULL));
        pg_statement_principal(st, "Service",
                               pg_strings(pg_printf(out, "logs.%s.amazonaws.com", r->name), NULL));
        pg_statement_condition(
            st, "ArnLike", "kms:EncryptionContext:aws:logs:arn",
            pg_strings(pg_printf(out, "arn:%s:logs:%s:%s:log-group:*", partition, r->name, account),
                       NULL));
        if (r->primary)
            cloudtrail_use(out, doc, partition, account);
    } else if (!strcmp(purpose_name, "notifications")) {
        /* Without cloudwatch.amazonaws.com here, alarms on an encrypted topic
         * are dropped silently. */
        st = pg_statement(doc, "AlarmsAndSnsUse", "Allow",
                          pg_strings("kms:Decrypt", "kms:GenerateDataKey*", NULL),
                          pg_strings("*", NULL));
        pg_statement_principal(st, "Service",
                               pg_strings("cloudwatch.amazonaws.com", "sns.amazonaws.com", NULL));
        pg_statement_condition(st, "StringEquals", "aws:SourceAccount", pg_strings(account, NULL));
    } else if (!strcmp(purpose_name, "storage")) {
        st = pg_statement(doc, "S3Use", "Allow",
                          pg_strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                     "kms:GenerateDataKey*", "kms:DescribeKey", NULL),
                          pg_strings("*", NULL));
        pg_statement_principal(st, "AWS", pg_strings(root, NULL));
        pg_statement_condition(st, "StringEquals", "kms:ViaService",
                               pg_strings(pg_printf(out, "s3.%s.amazonaws.com", r->name), NULL));
    } else if (!strcmp(purpose_name, "database")) {
        /* RDS uses the key through grants it creates for its own resources. */
        st = pg_statement(doc, "RdsGrants", "Allow",
                          pg_strings("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", NULL),
                          pg_strings("*", NULL));
        pg_statement_principal(st, "AWS", pg_strings(root, NULL));
        pg_statement_condition(st, "Bool", "kms:GrantIsForAWSResource", pg_strings("true", NULL));
        pg_statement_condition(st, "StringEquals", "kms:ViaService",
                               pg_strings(pg_printf(out, "rds.%s.amazonaws.com", r->name),
                                          pg_printf(out, "secretsmanager.%s.amazonaws.com", r->name),
                                          NULL));
        st = pg_statement(doc, "RdsAndSecretsUse", "Allow",
                          pg_strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                     "kms:GenerateDataKey*", "kms:DescribeKey", NULL),
                          pg_strings("*", NULL));
        pg_statement_principal(st, "AWS", pg_strings(root, NULL));
        pg_statement_condition(st, "StringEquals", "kms:ViaService",
                               pg_strings(pg_printf(out, "rds.%s.amazonaws.com", r->name),
                                          pg_printf(out, "secretsmanager.%s.amazonaws.com", r->name),
                                          NULL));
    }
}

static cJSON *key_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r, const purpose *p)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", pg_printf(out, "kms_%s", p->name));
    /* In a key policy "*" as resource means "this key". */
    cJSON *st = pg_statement(doc, "KeyAdministration", "Allow", admin_actions(), pg_strings("*", NULL));
    pg_statement_principal(st, "AWS",
                           pg_strings(pg_printf(out, "arn:%s:iam::%s:root", partition, account), NULL));
    service_use(ctx, out, r, doc, p->name);
    return doc;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    long window = pg_ctx_int(ctx, "kms.deletion_window_days");
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        for (size_t k = 0; k < sizeof purposes / sizeof *purposes; k++) {
            const purpose *p = &purposes[k];
            cJSON *policy = key_policy(ctx, out, r, p);
            cJSON *key = pg_resource(out, r, "aws_kms_key", p->name);
            cJSON_AddStringToObject(key, "description",
                                    pg_printf(out, "%s (%s)", p->description, r->name));
            cJSON_AddStringToObject(key, "key_usage", "ENCRYPT_DECRYPT");
            cJSON_AddStringToObject(key, "customer_master_key_spec", "SYMMETRIC_DEFAULT");
            cJSON_AddBoolToObject(key, "enable_key_rotation", true);
            cJSON_AddNumberToObject(key, "deletion_window_in_days", (double)window);
            cJSON_AddBoolToObject(key, "multi_region", false);
            cJSON_AddStringToObject(key, "policy", pg_ref(out, policy, "json"));
            pg_tag_name(key, pg_name(out, r, pg_printf(out, "kms-%s", p->name), 256));
            pg_protect(ctx, key);

            cJSON *alias = pg_resource(out, r, "aws_kms_alias", p->name);
            cJSON_AddStringToObject(alias, "name",
                                    pg_printf(out, "alias/%s", pg_name(out, r, p->name, 250)));
            cJSON_AddStringToObject(alias, "target_key_id", pg_ref(out, key, "key_id"));

            pg_publish_string(out, r, pg_printf(out, "kms.%s.arn", p->name), pg_ref(out, key, "arn"));
            pg_publish_string(out, r, pg_printf(out, "kms.%s.id", p->name), pg_ref(out, key, "key_id"));
            pg_publish_string(out, r, pg_printf(out, "kms.%s.alias", p->name),
                              pg_ref(out, alias, "name"));
        }
    }
    return 0;
}

static const char *const provides[] = {"kms", NULL};
static const char *const needs[] = {NULL};
static const pg_setting settings[] = {
    {"kms.deletion_window_days", PG_SETTING_INT, "30", 7, 30,
     "waiting period before a scheduled key deletion takes effect"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("kms", "1.0.0",
                 "customer-managed KMS keys per region and purpose, with rotation and aliases",
                 provides, needs, settings, contribute)
