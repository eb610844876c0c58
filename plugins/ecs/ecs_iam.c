/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_iam.c - what the two ECS roles may do (R8). The iam plugin owns the
 * roles; this plugin knows the resources, so it attaches the policies:
 *   execution role: pull the image, write the task logs, read the database
 *                   secret (and decrypt it through Secrets Manager only);
 *   task role:      write and read transaction objects, use the storage key
 *                   through S3 only, publish the service's own metrics.
 * Two actions have no resource-level permissions at all
 * (ecr:GetAuthorizationToken, cloudwatch:PutMetricData): each sits in a
 * statement of its own, the second narrowed by its namespace condition. */
#include "ecs.h"

static cJSON *role_policy(ecs_site *s, const char *label, const char *role, const cJSON *doc,
                          const char *kind)
{
    return pg_resource(s->out, s->r, "aws_iam_role_policy", label,
                       PG_STR("name", pg_name(s->out, NULL, kind, 128)),
                       PG_STR("role", role),
                       PG_REF("policy", doc, "json"));
}

static const char *via(ecs_site *s, const char *service)
{
    return pg_printf(s->out, "%s.%s.amazonaws.com", service, s->r->name);
}

static const char *repository_arn(ecs_site *s)
{
    return pg_printf(s->out, "arn:%s:ecr:%s:%s:repository/%s",
                     pg_need(s->ctx, NULL, "aws.partition"), s->r->name,
                     pg_need(s->ctx, NULL, "aws.account_id"), s->cfg->image_repository);
}

static int execution_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *role = pg_need(s->ctx, s->r, "iam.ecs_execution.name");
    const char *secret = pg_need(s->ctx, s->r, "aurora.secret_arn");
    const char *key = pg_need(s->ctx, s->r, "kms.database.arn");
    if (!role || !secret || !key)
        return -1;
    cJSON *doc = pg_data(out, s->r, "aws_iam_policy_document", "ecs_execution_permissions",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "EcrAuthorization"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "ecr:GetAuthorizationToken"),
                                  PG_STRS("resources", "*")),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "EcrPull"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "ecr:BatchCheckLayerAvailability",
                                          "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                                  PG_STRS("resources", repository_arn(s))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "TaskLogs"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                                  PG_STRS("resources",
                                          pg_printf(out, "%s:*", pg_ref(out, s->log_group, "arn")))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DatabaseSecret"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "secretsmanager:GetSecretValue"),
                                  PG_STRS("resources", secret)),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DatabaseSecretKey"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "kms:Decrypt"),
                                  PG_STRS("resources", key),
                                  PG_CONDITION("StringEquals", "kms:ViaService",
                                               via(s, "secretsmanager"))));
    s->policies[0] = role_policy(s, "ecs_execution", role, doc, "ecs-execution");
    return 0;
}

static int task_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *role = pg_need(s->ctx, s->r, "iam.ecs_task.name");
    const char *bucket = pg_need(s->ctx, s->r, "storage.transaction_logs.arn");
    const char *key = pg_need(s->ctx, s->r, "kms.storage.arn");
    if (!role || !bucket || !key)
        return -1;
    cJSON *doc = pg_data(out, s->r, "aws_iam_policy_document", "ecs_task_permissions",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "TransactionObjects"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "s3:GetObject", "s3:PutObject"),
                                  PG_STRS("resources", pg_printf(out, "%s/transactions/*", bucket))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "TransactionObjectsKey"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "kms:Decrypt", "kms:Encrypt",
                                          "kms:GenerateDataKey"),
                                  PG_STRS("resources", key),
                                  PG_CONDITION("StringEquals", "kms:ViaService", via(s, "s3"))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "ServiceMetrics"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "cloudwatch:PutMetricData"),
                                  PG_STRS("resources", "*"),
                                  PG_CONDITION("StringEquals", "cloudwatch:namespace",
                                               "Payment/Service")));
    s->policies[1] = role_policy(s, "ecs_task", role, doc, "ecs-task");
    return 0;
}

int ecs_permissions(ecs_site *s) { return execution_policy(s) || task_policy(s) ? -1 : 0; }
