/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_logging.c - the guardrails of the audit trail: CloudTrail
 * settings, and the encryption and retention of CloudWatch log groups. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"

/* ----- audit trail */

void pg_rule_cloudtrail_settings(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudtrail", t)
    {
        if (!pg_c_true(t, "is_multi_region_trail"))
            VIOLATION(c, "aws_cloudtrail", t, "is_multi_region_trail is not true");
        if (!pg_c_true(t, "enable_log_file_validation"))
            VIOLATION(c, "aws_cloudtrail", t, "enable_log_file_validation is not true");
        if (!pg_c_is_cmk(pg_c_path(t, "kms_key_id")))
            VIOLATION(c, "aws_cloudtrail", t, "kms_key_id does not name a customer managed key");
        if (!pg_c_str(t, "cloud_watch_logs_group_arn"))
            VIOLATION(c, "aws_cloudtrail", t, "no cloud_watch_logs_group_arn: events reach no alarm");
    }
}

/* ----- logs */

void pg_rule_log_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudwatch_log_group", g)
    {
        if (!pg_c_is_cmk(pg_c_path(g, "kms_key_id")))
            VIOLATION(c, "aws_cloudwatch_log_group", g, "kms_key_id does not name a customer managed key");
    }
}

void pg_rule_log_retention(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudwatch_log_group", g)
    {
        double days = pg_c_num(g, "retention_in_days", 0);
        if (pg_c_path(g, "retention_in_days") && pg_c_num(g, "retention_in_days", -1) < 0)
            VIOLATION(c, "aws_cloudwatch_log_group", g, "retention_in_days is not a literal number");
        else if (days != 0 && days < 365)
            VIOLATION(c, "aws_cloudwatch_log_group", g, "retention_in_days is %g, less than 365", days);
    }
}
