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

static cJSON *role_policy(ecs_site *s, const char *label, const char *role, cJSON *doc,
                          const char *kind)
{
    pg_out *out = s->out;
    cJSON *p = pg_resource(out, s->r, "aws_iam_role_policy", label);
    cJSON_AddStringToObject(p, "name", pg_name(out, NULL, kind, 128));
    cJSON_AddStringToObject(p, "role", role);
    cJSON_AddStringToObject(p, "policy", pg_ref(out, doc, "json"));
    return p;
}

static const char *via(ecs_site *s, const char *service)
{
    return pg_printf(s->out, "%s.%s.amazonaws.com", service, s->r->name);
}

static int execution_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *role = ecs_need(s, s->r, "iam.ecs_execution.name");
    const char *secret = ecs_need(s, s->r, "aurora.secret_arn");
    const char *key = ecs_need(s, s->r, "kms.database.arn");
    if (!role || !secret || !key)
        return -1;
    cJSON *doc = pg_data(out, s->r, "aws_iam_policy_document", "ecs_execution_permissions");
    pg_statement(doc, "EcrAuthorization", "Allow", pg_strings("ecr:GetAuthorizationToken", NULL),
                 pg_strings("*", NULL));
    pg_statement(doc, "EcrPull", "Allow",
                 pg_strings("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                            "ecr:GetDownloadUrlForLayer", NULL),
                 pg_strings(ecs_repository_arn(s), NULL));
    pg_statement(doc, "TaskLogs", "Allow",
                 pg_strings("logs:CreateLogStream", "logs:PutLogEvents", NULL),
                 pg_strings(pg_printf(out, "%s:*", pg_ref(out, s->log_group, "arn")), NULL));
    pg_statement(doc, "DatabaseSecret", "Allow", pg_strings("secretsmanager:GetSecretValue", NULL),
                 pg_strings(secret, NULL));
    cJSON *st = pg_statement(doc, "DatabaseSecretKey", "Allow", pg_strings("kms:Decrypt", NULL),
                             pg_strings(key, NULL));
    pg_statement_condition(st, "StringEquals", "kms:ViaService",
                           pg_strings(via(s, "secretsmanager"), NULL));
    s->policies[0] = role_policy(s, "ecs_execution", role, doc, "ecs-execution");
    return 0;
}

static int task_policy(ecs_site *s)
{
    pg_out *out = s->out;
    const char *role = ecs_need(s, s->r, "iam.ecs_task.name");
    const char *bucket = ecs_need(s, s->r, "storage.transaction_logs.arn");
    const char *key = ecs_need(s, s->r, "kms.storage.arn");
    if (!role || !bucket || !key)
        return -1;
    cJSON *doc = pg_data(out, s->r, "aws_iam_policy_document", "ecs_task_permissions");
    pg_statement(doc, "TransactionObjects", "Allow",
                 pg_strings("s3:GetObject", "s3:PutObject", NULL),
                 pg_strings(pg_printf(out, "%s/transactions/*", bucket), NULL));
    cJSON *st = pg_statement(doc, "TransactionObjectsKey", "Allow",
                             pg_strings("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", NULL),
                             pg_strings(key, NULL));
    pg_statement_condition(st, "StringEquals", "kms:ViaService", pg_strings(via(s, "s3"), NULL));
    st = pg_statement(doc, "ServiceMetrics", "Allow", pg_strings("cloudwatch:PutMetricData", NULL),
                      pg_strings("*", NULL));
    pg_statement_condition(st, "StringEquals", "cloudwatch:namespace",
                           pg_strings("Payment/Service", NULL));
    s->policies[1] = role_policy(s, "ecs_task", role, doc, "ecs-task");
    return 0;
}

int ecs_permissions(ecs_site *s) { return execution_policy(s) || task_policy(s) ? -1 : 0; }
