/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_deploy_artifacts.c - deployability of what a stack brings or
 * owns: every function package and bucket it names is one the output writes
 * or creates, and it owns no account-wide singleton that another
 * environment's stack would own as well. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_rules.h"
#include "check_rules_deploy.h"

/* ----- PG-DEPLOY-002: packages and buckets the output makes */

static bool has_expr(const char *s)
{
    return strstr(s, "${") != NULL;
}

/* filename is "${path.module}/functions/NAME.zip", the package paygen zips
 * into the stack directory; when the document was read from a file, the zip
 * must be beside it. */
static void check_filename(pg_check_ctx *c, const char *type, const cJSON *fn, const char *filename)
{
    static const char prefix[] = "${path.module}/functions/";
    const char *name = pg_str_starts_with(filename, prefix) ? filename + strlen(prefix) : NULL;
    size_t len = name ? strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") : 0;
    if (!name || !len || strcmp(name + len, ".zip")) {
        VIOLATION(c, type, fn, "filename %s is not a package the output writes (${path.module}/functions/NAME.zip)",
                  filename);
        return;
    }
    if (!c->file)
        return;
    const char *slash = strrchr(c->file, '/');
    char *zip = pg_xasprintf("%.*s%sfunctions/%s", slash ? (int)(slash - c->file) : 0, c->file, slash ? "/" : "",
                             name);
    struct stat st;
    if (stat(zip, &st) != 0 || !S_ISREG(st.st_mode))
        VIOLATION(c, type, fn, "filename names functions/%s, which is not in the stack directory", name);
    free(zip);
}

/* The aws_s3_bucket of the stack whose bucket name is the literal name. */
static const cJSON *bucket_named(const pg_check_ctx *c, const char *name)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const char *n = pg_c_str(b, "bucket");
        if (n && !strcmp(n, name))
            return b;
    }
    return NULL;
}

/* Whether node references a bucket of the stack: the bucket, or a resource
 * of one (its policy, say, which CloudTrail waits for) naming it. */
static bool stack_bucket(const pg_check_ctx *c, const cJSON *node)
{
    static const char *const via[] = {"aws_s3_object", "aws_s3_bucket_object", "aws_s3_bucket_policy",
                                      "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
                                      "aws_s3_bucket_ownership_controls", "aws_s3_bucket_acl",
                                      "aws_s3_bucket_server_side_encryption_configuration"};
    if (pg_d_target(c, node, "aws_s3_bucket"))
        return true;
    for (size_t i = 0; i < sizeof via / sizeof *via; i++) {
        const cJSON *r = pg_d_target(c, node, via[i]);
        if (r && pg_d_target(c, pg_c_path(r, "bucket"), "aws_s3_bucket"))
            return true;
    }
    return false;
}

/* s3_bucket or s3_bucket_name (anywhere in a block) names a bucket of the
 * stack, by reference (so that Terraform creates it first). */
static void check_buckets(pg_check_ctx *c, const char *type, const cJSON *block, const cJSON *node)
{
    for (const cJSON *v = node->child; v; v = v->next) {
        if (!cJSON_IsString(v)) {
            if (cJSON_IsObject(v) || cJSON_IsArray(v))
                check_buckets(c, type, block, v);
            continue;
        }
        if (!v->string || (strcmp(v->string, "s3_bucket") && strcmp(v->string, "s3_bucket_name")))
            continue;
        const char *s = v->valuestring;
        if (!has_expr(s)) {
            if (bucket_named(c, s))
                VIOLATION(c, type, block, "%s names bucket %s by a literal: reference its aws_s3_bucket so "
                          "that Terraform creates it first", v->string, s);
            else
                VIOLATION(c, type, block, "%s %s is a bucket this output does not create", v->string, s);
        } else if (!stack_bucket(c, v)) {
            VIOLATION(c, type, block, "%s %s is not a bucket this output creates", v->string, s);
        }
    }
}

/* The object a function's code is read from: s3_key references an
 * aws_s3_object of the stack, or equals the key of one in the same bucket. */
static bool object_created(const pg_check_ctx *c, const cJSON *fn)
{
    const cJSON *key = pg_c_path(fn, "s3_key");
    if (!cJSON_IsString(key))
        return false;
    static const char *const types[] = {"aws_s3_object", "aws_s3_bucket_object"};
    char bucket[128], obucket[128];
    bool by_ref = pg_d_ref(pg_c_path(fn, "s3_bucket"), "aws_s3_bucket", bucket, sizeof bucket);
    for (size_t i = 0; i < 2; i++) {
        if (pg_d_target(c, key, types[i]))
            return true;
        PG_FOR_RES(c, types[i], o)
        {
            const char *k = pg_c_str(o, "key");
            if (k && !strcmp(k, key->valuestring) && by_ref &&
                pg_d_ref(pg_c_path(o, "bucket"), "aws_s3_bucket", obucket, sizeof obucket) &&
                !strcmp(bucket, obucket))
                return true;
        }
    }
    return false;
}

void pg_rule_deploy_packages(pg_check_ctx *c)
{
    static const char *const fns[] = {"aws_lambda_function", "aws_lambda_layer_version"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, fns[i], fn)
        {
            const char *filename = pg_c_str(fn, "filename");
            const char *bucket = pg_c_str(fn, "s3_bucket");
            if (filename)
                check_filename(c, fns[i], fn, filename);
            else if (bucket && stack_bucket(c, pg_c_path(fn, "s3_bucket")) && !object_created(c, fn))
                VIOLATION(c, fns[i], fn, "s3_key %s is not an object this output puts in the bucket",
                          pg_c_str(fn, "s3_key") ? pg_c_str(fn, "s3_key") : "(not set)");
            else if (!filename && !bucket && !pg_c_str(fn, "image_uri"))
                VIOLATION(c, fns[i], fn, "no package: neither filename, s3_bucket nor image_uri");
        }
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
    for (const cJSON *t = cJSON_IsObject(types) ? types->child : NULL; t; t = t->next)
        for (const cJSON *b = cJSON_IsObject(t) ? t->child : NULL; b; b = b->next)
            check_buckets(c, t->string, b, b);
}

/* ----- PG-DEPLOY-004: account-wide singletons */

/* One per account (or per account and region): every stack of paygen is
 * applied once per environment (a workspace each, docs/state.md), so a second
 * environment in the account overwrites the first one's setting, and
 * destroying either removes it for both. Each fact is from the API reference
 * of the call Terraform makes. */
static const struct singleton {
    const char *type, *scope;
} singletons[] = {
    /* ECR PutReplicationConfiguration, PutRegistryScanningConfiguration,
     * PutRegistryPolicy: "for a registry", one per account and region */
    {"aws_ecr_replication_configuration", "the registry's replication configuration (one per account and region)"},
    {"aws_ecr_registry_scanning_configuration", "the registry's scanning configuration (one per account and region)"},
    {"aws_ecr_registry_policy", "the registry's permissions policy (one per account and region)"},
    /* IAM UpdateAccountPasswordPolicy, CreateAccountAlias: the account's */
    {"aws_iam_account_password_policy", "the account's password policy"},
    {"aws_iam_account_alias", "the account's alias (an account has one)"},
    /* EC2 EnableEbsEncryptionByDefault, ModifyEbsDefaultKmsKeyId: "for your
     * account in the current Region" */
    {"aws_ebs_encryption_by_default", "EBS encryption by default (per account and region)"},
    {"aws_ebs_default_kms_key", "the default EBS key (per account and region)"},
    /* S3 Control PutPublicAccessBlock: the account's block */
    {"aws_s3_account_public_access_block", "the account's S3 public access block"},
    /* Security Hub EnableSecurityHub, Macie EnableMacie: per account and region */
    {"aws_securityhub_account", "Security Hub for the account (per region)"},
    {"aws_macie2_account", "Macie for the account (per region)"},
    /* GuardDuty CreateDetector: "You can have only one detector per account
     * per Region." */
    {"aws_guardduty_detector", "the GuardDuty detector (one per account and region)"},
    /* AWS Config PutConfigurationRecorder, PutDeliveryChannel: one per region
     * in an account */
    {"aws_config_configuration_recorder", "the AWS Config recorder (one per account and region)"},
    {"aws_config_delivery_channel", "the AWS Config delivery channel (one per account and region)"},
    /* API Gateway UpdateAccount: the account's CloudWatch role, per region */
    {"aws_api_gateway_account", "API Gateway's account settings (per region)"},
    /* Account PutAlternateContact: the account's contacts */
    {"aws_account_alternate_contact", "the account's alternate contact"},
    /* EC2 EnableSerialConsoleAccess: per account and region */
    {"aws_ec2_serial_console_access", "EC2 serial console access (per account and region)"},
};

void pg_rule_deploy_singletons(pg_check_ctx *c)
{
    for (size_t i = 0; i < sizeof singletons / sizeof *singletons; i++)
        PG_FOR_RES(c, singletons[i].type, r)
        {
            VIOLATION(c, singletons[i].type, r,
                      "%s is account-wide: a per-environment stack would share it with every other environment "
                      "in the account (the last apply wins, a destroy removes it for all)",
                      singletons[i].scope);
        }
}
