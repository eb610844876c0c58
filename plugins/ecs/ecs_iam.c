/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_iam.c - what the two ECS roles may do (R8). The iam plugin owns the
 * roles; this plugin knows the resources, so it attaches the policies:
 *   execution role: pull the image, write the task logs;
 *   task role:      sign in to the database as the application user with IAM
 *                   (rds-db:connect, every region's cluster: the writer may be
 *                   in either), write and read transaction objects, use the
 *                   storage key through S3 only, publish the service's own
 *                   metrics. No task reads the master secret.
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

static int execution_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *role = pg_need(s->ctx, s->r, "iam.ecs_execution.name");
    if (!role)
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
                                  PG_STRS("resources", pg_ref(out, s->repository, "arn"))),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "TaskLogs"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                                  PG_STRS("resources",
                                          pg_printf(out, "%s:*", pg_ref(out, s->log_group, "arn")))));
    s->policies[0] = role_policy(s, "ecs_execution", role, doc, "ecs-execution");
    return 0;
}

/* arn:<p>:rds-db:<region>:<account>:dbuser:<cluster resource id>/<user>
 * of every active region's cluster (IAM database authentication). */
static int database_users(ecs_site *s, const char **arns, size_t *count)
{
    const char *partition = pg_need(s->ctx, NULL, "aws.partition");
    const char *account = pg_need(s->ctx, NULL, "aws.account_id");
    const char *user = pg_need(s->ctx, NULL, "aurora.app_username");
    if (!partition || !account || !user)
        return -1;
    *count = 0;
    for (size_t i = 0; i < pg_ctx_region_count(s->ctx) && *count < ECS_MAX_REGIONS; i++) {
        const pg_region *r = pg_ctx_region(s->ctx, i);
        const char *id = pg_need(s->ctx, r, "aurora.cluster_resource_id");
        if (!id)
            return -1;
        arns[(*count)++] = pg_printf(s->out, "arn:%s:rds-db:%s:%s:dbuser:%s/%s", partition,
                                     r->name, account, id, user);
    }
    return 0;
}

static int task_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *users[ECS_MAX_REGIONS];
    size_t user_count;
    if (database_users(s, users, &user_count) < 0)
        return -1;
    const char *role = pg_need(s->ctx, s->r, "iam.ecs_task.name");
    const char *bucket = pg_need(s->ctx, s->r, "storage.transaction_logs.arn");
    const char *key = pg_need(s->ctx, s->r, "kms.storage.arn");
    if (!role || !bucket || !key)
        return -1;
    cJSON *doc = pg_data(out, s->r, "aws_iam_policy_document", "ecs_task_permissions",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DatabaseConnect"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "rds-db:connect"),
                                  PG_STRV("resources", users, user_count)),
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
