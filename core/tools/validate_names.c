/* SPDX-License-Identifier: Apache-2.0 */
/* validate_names.c - AWS name rules on literal names: length limits and
 * allowed characters, so that a name AWS would refuse is caught before
 * terraform apply. Names built from expressions are not checked. */
#include <ctype.h>
#include <string.h>

#include "validate_internal.h"

typedef struct name_rule {
    const char *type, *argument;
    size_t min, max;
    const char *extra;  /* allowed besides letters and digits */
    bool lower;         /* no upper case letters */
    bool letter_first;
} name_rule;

static const name_rule rules[] = {
    {"aws_s3_bucket", "bucket", 3, 63, ".-", true, false},
    {"aws_lb", "name", 1, 32, "-", false, false},
    {"aws_alb", "name", 1, 32, "-", false, false},
    {"aws_lb_target_group", "name", 1, 32, "-", false, false},
    {"aws_alb_target_group", "name", 1, 32, "-", false, false},
    {"aws_iam_role", "name", 1, 64, "+=,.@_-", false, false},
    {"aws_iam_policy", "name", 1, 128, "+=,.@_-", false, false},
    {"aws_iam_role_policy", "name", 1, 128, "+=,.@_-", false, false},
    {"aws_rds_cluster", "cluster_identifier", 1, 63, "-", true, true},
    {"aws_rds_cluster_instance", "identifier", 1, 63, "-", true, true},
    {"aws_rds_global_cluster", "global_cluster_identifier", 1, 63, "-", true, true},
    {"aws_rds_cluster_parameter_group", "name", 1, 255, "-", true, true},
    {"aws_db_subnet_group", "name", 1, 255, " ._-", true, false},
    {"aws_lambda_function", "function_name", 1, 64, "_-", false, false},
    {"aws_ecs_cluster", "name", 1, 255, "_-", false, false},
    {"aws_ecs_service", "name", 1, 255, "_-", false, false},
    {"aws_ecs_task_definition", "family", 1, 255, "_-", false, false},
    {"aws_sns_topic", "name", 1, 256, "_-", false, false},
    {"aws_dynamodb_table", "name", 3, 255, "_.-", false, false},
    {"aws_kms_alias", "name", 7, 256, "/_-", false, false},
    {"aws_cloudwatch_log_group", "name", 1, 512, "_-/.#", false, false},
    {"aws_secretsmanager_secret", "name", 1, 512, "/_+=.@-", false, false},
    {"aws_security_group", "name", 1, 255, " ._-:/()#,@[]+=&;{}!$*", false, false},
    {"aws_wafv2_web_acl", "name", 1, 128, "_-", false, false},
};

static void check_name(pg_vstate *v, const pg_vpath *address, const name_rule *r, const char *name)
{
    pg_vpath p = pg_v_key(address, r->argument);
    size_t len = strlen(name);
    if (len > r->max || len < r->min) {
        pg_v_error(v, &p, "name \"%s\" is %zu characters; AWS allows %zu to %zu", name, len, r->min, r->max);
        return;
    }
    if (r->letter_first && !isalpha((unsigned char)name[0])) {
        pg_v_error(v, &p, "name \"%s\" must start with a letter", name);
        return;
    }
    for (const char *c = name; *c; c++) {
        bool ok = isalnum((unsigned char)*c) || strchr(r->extra, *c);
        if (!ok || (r->lower && isupper((unsigned char)*c))) {
            pg_v_error(v, &p, "name \"%s\" has a character AWS does not allow ('%c')", name, *c);
            return;
        }
    }
}

void pg_v_names(pg_vstate *v, const pg_vpath *address, const char *type, const cJSON *body)
{
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        if (strcmp(rules[i].type, type))
            continue;
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, rules[i].argument);
        if (cJSON_IsString(name) && !strstr(name->valuestring, "${"))
            check_name(v, address, &rules[i], name->valuestring);
    }
    const cJSON *tag = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(body, "tags"), "Name");
    if (cJSON_IsString(tag) && strlen(tag->valuestring) > 256) {
        pg_vpath tags = pg_v_key(address, "tags"), p = pg_v_key(&tags, "Name");
        pg_v_error(v, &p, "tag value is %zu characters; AWS allows 256", strlen(tag->valuestring));
    }
}
