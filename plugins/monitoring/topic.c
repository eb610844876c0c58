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
    const char *fallback = pg_ctx_string(m->ctx, "monitoring.alert_email");
    cJSON *v = pg_variable(m->out, MON_EMAIL_VARIABLE, "string",
                           "E-mail address that receives the CloudWatch alarm notifications "
                           "(confirm the subscription mail after apply)");
    if (fallback && *fallback) {
        if (!looks_like_email(fallback)) {
            pg_error(m->out, "monitoring.alert_email '%s' does not look like an e-mail address",
                     fallback);
            return -1;
        }
        cJSON_AddStringToObject(v, "default", fallback);
    }
    cJSON *validation = cJSON_AddArrayToObject(v, "validation");
    cJSON *rule = cJSON_CreateObject();
    /* Same rule as looks_like_email(); "[.]" avoids a backslash escape. */
    cJSON_AddStringToObject(rule, "condition",
                            "${can(regex(\"^[^@ ]+@[^@ ]+[.][^@ ]+$\", var." MON_EMAIL_VARIABLE
                            "))}");
    cJSON_AddStringToObject(rule, "error_message",
                            "alert_email must be an e-mail address such as ops@example.com.");
    cJSON_AddItemToArray(validation, rule);
    return 0;
}

static int region_topic(mon *m, mon_region *mr)
{
    const pg_region *r = mr->region;
    pg_out *out = m->out;
    const char *key = pg_lookup_string(m->ctx, r, "kms.notifications.arn");
    if (!key) {
        pg_error(out,
                 "kms.notifications.arn is not published for %s; the alarm topic must be "
                 "encrypted with a customer-managed key",
                 r->name);
        return -1;
    }
    const char *account = pg_lookup_string(m->ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(m->ctx, NULL, "aws.partition");

    cJSON *topic = pg_resource(out, r, "aws_sns_topic", "alarms");
    const char *name = pg_name(out, r, "alarms", 256);
    cJSON_AddStringToObject(topic, "name", name);
    /* Shown as the sender of the notification mails (at most 100 characters;
     * project and environment are at most 12 each). */
    cJSON_AddStringToObject(topic, "display_name",
                            pg_printf(out, "%s %s alarms", pg_ctx_project(m->ctx),
                                      pg_ctx_environment(m->ctx)));
    cJSON_AddStringToObject(topic, "kms_master_key_id", key);
    pg_tag_name(topic, name);
    mr->topic_arn = pg_ref(out, topic, "arn");

    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "alarms_topic");
    cJSON *st = pg_statement(doc, "CloudWatchAlarmsPublish", "Allow",
                             pg_strings("sns:Publish", NULL), pg_strings(mr->topic_arn, NULL));
    pg_statement_principal(st, "Service", pg_strings("cloudwatch.amazonaws.com", NULL));
    pg_statement_condition(st, "StringEquals", "aws:SourceAccount", pg_strings(account, NULL));
    pg_statement_condition(
        st, "ArnLike", "aws:SourceArn",
        pg_strings(pg_printf(out, "arn:%s:cloudwatch:%s:%s:alarm:*", partition, r->name, account),
                   NULL));

    cJSON *policy = pg_resource(out, r, "aws_sns_topic_policy", "alarms");
    cJSON_AddStringToObject(policy, "arn", mr->topic_arn);
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));

    cJSON *sub = pg_resource(out, r, "aws_sns_topic_subscription", "alarms_email");
    cJSON_AddStringToObject(sub, "topic_arn", mr->topic_arn);
    cJSON_AddStringToObject(sub, "protocol", "email");
    cJSON_AddStringToObject(sub, "endpoint", "${var." MON_EMAIL_VARIABLE "}");

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
