/* SPDX-License-Identifier: Apache-2.0 */
/* topic.c - the alarm topic of each active region: SNS encrypted with the
 * region's notifications key (whose policy admits cloudwatch.amazonaws.com,
 * without which encrypted alarm notifications are dropped silently), a topic
 * policy that lets only this account's CloudWatch alarms publish, and an
 * e-mail subscription to the alert_email variable (D1). */
#include "monitoring.h"

#include <string.h>

/* What the variable's validation accepts, checked early for the profile's
 * default: something@domain.tld without spaces. */
static bool looks_like_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strchr(s, ' '))
        return false;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0';
}

static int email_variable(mon *m)
{
    const char *fallback = m->cfg->alert_email;
    if (*fallback && !looks_like_email(fallback))
        return pg_fail(m->out, "monitoring.alert_email '%s' does not look like an e-mail address",
                       fallback);
    pg_variable(m->out, MON_EMAIL_VARIABLE, "string",
                "E-mail address that receives the CloudWatch alarm notifications "
                "(confirm the subscription mail after apply)",
                PG_IF(*fallback, PG_STR("default", fallback)),
                /* Same rule as looks_like_email(); "[.]" avoids a backslash escape. */
                PG_BLOCK("validation",
                         PG_STR("condition", "${can(regex(\"^[^@ ]+@[^@ ]+[.][^@ ]+$\", "
                                             "var." MON_EMAIL_VARIABLE "))}"),
                         PG_STR("error_message",
                                "alert_email must be an e-mail address such as "
                                "ops@example.com.")));
    return 0;
}

static int region_topic(mon *m, mon_region *mr)
{
    const pg_region *r = mr->region;
    pg_out *out = m->out;
    /* The topic must be encrypted with a customer-managed key. */
    const char *key = pg_need(m->ctx, r, "kms.notifications.arn");
    const char *account = pg_need(m->ctx, NULL, "aws.account_id");
    const char *partition = pg_need(m->ctx, NULL, "aws.partition");
    if (!key || !account || !partition)
        return -1;

    cJSON *topic = pg_resource(out, r, "aws_sns_topic", "alarms",
                               PG_STR("name", pg_name(out, r, "alarms", 256)),
                               /* Shown as the sender of the notification mails (at most 100
                                * characters; project and environment are at most 12 each). */
                               PG_STR("display_name",
                                      pg_printf(out, "%s %s alarms", pg_ctx_project(m->ctx),
                                                pg_ctx_environment(m->ctx))),
                               PG_STR("kms_master_key_id", key));
    mr->topic_arn = pg_ref(out, topic, "arn");

    cJSON *doc = pg_data(
        out, r, "aws_iam_policy_document", "alarms_topic",
        PG_BLOCK("statement",
                 PG_STR("sid", "CloudWatchAlarmsPublish"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "sns:Publish"),
                 PG_STRS("resources", mr->topic_arn),
                 PG_PRINCIPALS("Service", "cloudwatch.amazonaws.com"),
                 PG_CONDITION("StringEquals", "aws:SourceAccount", account),
                 PG_CONDITION("ArnLike", "aws:SourceArn",
                              pg_printf(out, "arn:%s:cloudwatch:%s:%s:alarm:*", partition,
                                        r->name, account))));

    pg_resource(out, r, "aws_sns_topic_policy", "alarms",
                PG_STR("arn", mr->topic_arn),
                PG_REF("policy", doc, "json"));

    pg_resource(out, r, "aws_sns_topic_subscription", "alarms_email",
                PG_STR("topic_arn", mr->topic_arn),
                PG_STR("protocol", "email"),
                PG_STR("endpoint", "${var." MON_EMAIL_VARIABLE "}"));

    pg_publish_string(out, r, "monitoring.topic_arn", mr->topic_arn);
    return 0;
}

int mon_topics(mon *m)
{
    int rc = email_variable(m);
    for (size_t i = 0; i < m->count; i++)
        if (region_topic(m, &m->regions[i]))
            rc = -1;
    return rc;
}
