/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_iam.c - the guardrails of keys and permissions: KMS key
 * rotation and key policies, and wildcard actions and resources in IAM
 * identity policies. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"

/* ----- KMS */

void pg_rule_kms_rotation(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_kms_key", k)
    {
        const char *spec = pg_c_str(k, "customer_master_key_spec");
        if (spec && strcmp(spec, "SYMMETRIC_DEFAULT"))
            continue; /* asymmetric and HMAC keys cannot rotate automatically */
        if (!pg_c_true(k, "enable_key_rotation"))
            VIOLATION(c, "aws_kms_key", k, "enable_key_rotation is not true");
    }
}

static void star_principal(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (!st->deny && st->star_principal)
        pg_violation(c, address, "statement %zu allows principal \"*\"", st->index + 1);
}

void pg_rule_kms_policy(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_kms_key", k)
    {
        const cJSON *policy = pg_c_path(k, "policy");
        const cJSON *kp = pg_c_referrer(c, "aws_kms_key_policy", "key_id", "aws_kms_key", k->string);
        if (!policy && kp)
            policy = pg_c_path(kp, "policy");
        char *a = pg_c_addr("aws_kms_key", k->string);
        if (!policy)
            pg_violation(c, a, "no key policy (the default policy gives the whole account access)");
        else
            pg_c_statements(c, policy, a, star_principal, NULL);
        free(a);
    }
}

/* ----- IAM */

static bool is_read_action(const char *action)
{
    static const char *const verbs[] = {"Get", "List", "Describe", "BatchGet", "Head", "Search", "Filter",
                                        "Query", "Scan", "Lookup", "View", "Select", NULL};
    const char *colon = strchr(action, ':');
    if (!colon)
        return false;
    for (size_t i = 0; verbs[i]; i++)
        if (pg_str_starts_with(colon + 1, verbs[i]))
            return true;
    return false;
}

/* Actions AWS does not scope to resources: "*" is the only possible resource. */
static bool resourceless_action(const char *action)
{
    static const char *const list[] = {"cloudwatch:PutMetricData", "xray:PutTraceSegments",
                                       "xray:PutTelemetryRecords", "ec2:CreateNetworkInterface",
                                       "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                       "ec2:UnassignPrivateIpAddresses", "logs:CreateLogDelivery",
                                       "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                                       "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", NULL};
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], action))
            return true;
    return false;
}

static void wildcard_action(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (st->deny || st->has_principal)
        return;
    const cJSON *list = st->actions;
    const cJSON *one = cJSON_IsString(list) ? list : NULL;
    for (const cJSON *a = one ? one : cJSON_IsArray(list) ? list->child : NULL; a; a = one ? NULL : a->next) {
        if (!cJSON_IsString(a))
            continue;
        const char *s = a->valuestring, *colon = strchr(s, ':');
        if (!strcmp(s, "*") || (colon && !strcmp(colon + 1, "*")))
            pg_violation(c, address, "statement %zu allows action \"%s\"", st->index + 1, s);
    }
}

static void wildcard_resource(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (st->deny || st->has_principal || st->has_condition || !pg_c_list_has(st->resources, "*"))
        return;
    const cJSON *list = st->actions;
    const cJSON *one = cJSON_IsString(list) ? list : NULL;
    for (const cJSON *a = one ? one : cJSON_IsArray(list) ? list->child : NULL; a; a = one ? NULL : a->next) {
        if (cJSON_IsString(a) && !is_read_action(a->valuestring) && !resourceless_action(a->valuestring)) {
            pg_violation(c, address, "statement %zu allows write action \"%s\" on resource \"*\" without a condition",
                         st->index + 1, a->valuestring);
            return;
        }
    }
}

/* Identity policies: every policy document data source, and literal JSON in
 * aws_iam_policy / aws_iam_role_policy (references are covered by the first). */
static void iam_policies(pg_check_ctx *c, pg_stmt_fn fn)
{
    const cJSON *docs = pg_c_type(c, true, "aws_iam_policy_document");
    for (const cJSON *d = docs ? docs->child : NULL; d; d = d->next) {
        char *a = pg_xasprintf("data.aws_iam_policy_document.%s", d->string);
        pg_c_doc_statements(c, d, a, fn, NULL);
        free(a);
    }
    static const char *const types[] = {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                                        "aws_iam_group_policy"};
    for (size_t i = 0; i < 4; i++)
        PG_FOR_RES(c, types[i], r)
        {
            const cJSON *p = pg_c_path(r, "policy");
            if (cJSON_IsString(p) && !pg_str_starts_with(p->valuestring, "${")) {
                char *a = pg_c_addr(types[i], r->string);
                pg_c_statements(c, p, a, fn, NULL);
                free(a);
            }
        }
}

void pg_rule_iam_wildcard_action(pg_check_ctx *c) { iam_policies(c, wildcard_action); }
void pg_rule_iam_wildcard_resource(pg_check_ctx *c) { iam_policies(c, wildcard_resource); }
