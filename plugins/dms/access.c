/* SPDX-License-Identifier: Apache-2.0 */
/* access.c - who DMS acts as.
 *
 * dms-vpc-role and dms-cloudwatch-logs-role are account-wide singletons with
 * fixed names that DMS itself assumes ("Creating the IAM roles to use with
 * AWS DMS", security-iam.html#CHAP_Security.APIRole): one per account, shared
 * by every stack, so a per-environment stack must not own them (destroying a
 * rehearsal would break production's DMS). They are looked up: a missing
 * role fails the plan at the lookup (an error naming the role), and one that
 * does not trust DMS fails the precondition of the resource that needs it.
 *
 * The endpoints read their credentials from Secrets Manager through a role
 * of this stack that may read exactly two secrets: today's
 * (legacy.database.secret_arn) and Aurora's master secret. Their keys are not
 * all ours (today's secret may use aws/secretsmanager or a key of its own),
 * so decryption is allowed on any key, but only through Secrets Manager and
 * only for those two secrets: Secrets Manager puts the secret's ARN in the
 * encryption context of every data key ("Secret encryption and decryption in
 * AWS Secrets Manager", security-encryption.html). */
#include "dms.h"

#include <stdlib.h>

static const char *const vpc_role_name = "dms-vpc-role";
static const char *const logs_role_name = "dms-cloudwatch-logs-role";

void dms_account_roles(pg_out *out, dms_access *a)
{
    a->vpc_role = pg_data(out, NULL, "aws_iam_role", "dms_vpc", PG_STR("name", vpc_role_name));
    a->logs_role = pg_data(out, NULL, "aws_iam_role", "dms_cloudwatch_logs",
                           PG_STR("name", logs_role_name));
}

/* The trust policy names the service principal. The provider URL-decodes the
 * document IAM returns, and the name has nothing to encode either way. */
const char *dms_trusts_dms(pg_out *out, const cJSON *role)
{
    return pg_printf(out, "${strcontains(%s.assume_role_policy, \"dms.amazonaws.com\")}",
                     pg_address(out, role));
}

void dms_secrets_role(const pg_ctx *ctx, pg_out *out, const dms_inputs *in, dms_access *a)
{
    const pg_region *r = in->r;
    /* DMS assumes the role under its regional principal ("Using secrets to
     * access AWS DMS endpoints", security_iam_secretsmanager.html); the
     * global one is listed too, as for the account roles. aws:SourceAccount:
     * "Cross-service confused deputy prevention" (DMS 3.4.7 and later). */
    cJSON *trust = pg_data(out, r, "aws_iam_policy_document", "dms_secrets_trust",
                           PG_BLOCK("statement",
                                    PG_STR("sid", "TrustedService"),
                                    PG_STR("effect", "Allow"),
                                    PG_STRS("actions", "sts:AssumeRole"),
                                    PG_PRINCIPALS("Service",
                                                  pg_printf(out, "dms.%s.amazonaws.com", r->name),
                                                  "dms.amazonaws.com"),
                                    PG_CONDITION("StringEquals", "aws:SourceAccount",
                                                 in->account)));

    a->secrets_role = pg_resource(
        out, r, "aws_iam_role", "dms_secrets",
        PG_STR("name", pg_name(out, r, "dms-secrets", 64)),
        PG_STR("path", pg_printf(out, "/%s/", pg_ctx_project(ctx))),
        PG_STR("description",
               pg_printf(out, "DMS endpoints: today's and Aurora's database secrets (%s)", r->name)),
        PG_REF("assume_role_policy", trust, "json"),
        PG_INT("max_session_duration", 3600),
        PG_BOOL("force_detach_policies", true),
        PG_NAME("dms-secrets"));

    const char *via = pg_printf(out, "secretsmanager.%s.amazonaws.com", r->name);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "dms_secrets",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "ReadMoveSecrets"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "secretsmanager:GetSecretValue",
                                          "secretsmanager:DescribeSecret"),
                                  PG_STRS("resources", in->source_secret_arn,
                                          in->aurora_secret_arn)),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DecryptMoveSecrets"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "kms:Decrypt"),
                                  PG_STRS("resources", "*"),
                                  PG_CONDITION("StringEquals", "kms:ViaService", via),
                                  PG_CONDITION("StringEquals", "kms:EncryptionContext:SecretARN",
                                               in->source_secret_arn, in->aurora_secret_arn)));

    a->secrets_policy = pg_resource(out, r, "aws_iam_role_policy", "dms_secrets",
                                    PG_STR("name", "read-move-secrets"),
                                    PG_REF("role", a->secrets_role, "id"),
                                    PG_REF("policy", doc, "json"));
}

/* DMS writes task logs to the group "dms-tasks-<replication instance id>"
 * through dms-cloudwatch-logs-role, creating it (unencrypted, kept forever)
 * when it does not exist. Created first, it is encrypted with the logs key
 * and kept for the retention the profile sets, production included. */
void dms_log_group(pg_out *out, const dms_config *cfg, const dms_inputs *in,
                   const char *instance_id, dms_access *a)
{
    a->log_group = pg_resource(out, in->r, "aws_cloudwatch_log_group", "dms_tasks",
                               PG_STR("name", pg_printf(out, "dms-tasks-%s", instance_id)),
                               PG_STR("kms_key_id", in->logs_key),
                               PG_INT("retention_in_days", strtol(cfg->log_retention_days, NULL, 10)),
                               PG_NAME("dms-logs"));
}
