/* SPDX-License-Identifier: Apache-2.0 */
/* schedule.c - a Lambda function run on a schedule: the EventBridge rule,
 * its target, and the permission that lets exactly that rule invoke it. */
#include <paygen/aws.h>

cJSON *pg_aws_lambda_schedule(pg_out *out, const pg_aws_schedule *s)
{
    cJSON *rule = pg_resource(out, s->region, "aws_cloudwatch_event_rule", s->label,
                              PG_STR("name", s->name),
                              PG_STR("description", s->description),
                              PG_STR("schedule_expression",
                                     s->minutes == 1 ? "rate(1 minute)"
                                                     : pg_printf(out, "rate(%ld minutes)",
                                                                 s->minutes)),
                              PG_STR("state", "ENABLED"));
    pg_resource(out, s->region, "aws_cloudwatch_event_target", s->label,
                PG_REF("rule", rule, "name"),
                PG_STR("target_id", s->target_id),
                PG_REF("arn", s->function, "arn"));
    pg_resource(out, s->region, "aws_lambda_permission", s->permission_label,
                PG_STR("statement_id", "AllowEventBridgeSchedule"),
                PG_STR("action", "lambda:InvokeFunction"),
                PG_REF("function_name", s->function, "function_name"),
                PG_STR("principal", "events.amazonaws.com"),
                PG_REF("source_arn", rule, "arn"));
    return rule;
}
