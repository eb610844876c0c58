/* SPDX-License-Identifier: Apache-2.0 */
/* validate_values.c - the enumerated values of the arguments paygen sets.
 *
 * The provider schema gives types, not the values an argument accepts; the
 * provider checks those at plan (StringInSlice) or AWS at apply. This table
 * holds the values for the arguments the plugins write, so `paygen validate`
 * refuses a wrong one before Terraform runs. It is kept honest against the
 * provider: tests/integration/terraform-values.sh writes every value of
 * every row into a stack and expects `terraform validate` to accept them,
 * and one value outside each row to be refused where the provider checks
 * the argument (provider: true). A row the provider does not check (only
 * AWS does, at apply) cites its AWS source instead. */
#include <string.h>

#include "validate_internal.h"

/* Values of one argument: type, path below the block ("a" or "b.a" for the
 * first nested block b), values joined by '|'. */
typedef struct value_row {
    const char *type, *path, *values;
    bool provider; /* the provider refuses a value outside the list */
} value_row;

static const value_row rows[] = {
    {"aws_cloudwatch_metric_alarm", "comparison_operator",
     "GreaterThanOrEqualToThreshold|GreaterThanThreshold|LessThanThreshold|"
     "LessThanOrEqualToThreshold|LessThanLowerOrGreaterThanUpperThreshold|LessThanLowerThreshold|"
     "GreaterThanUpperThreshold",
     true},
    {"aws_cloudwatch_metric_alarm", "treat_missing_data", "missing|ignore|breaching|notBreaching",
     true},
    {"aws_dms_replication_task", "migration_type", "full-load|cdc|full-load-and-cdc", true},
    {"aws_dynamodb_table", "billing_mode", "PROVISIONED|PAY_PER_REQUEST", true},
    {"aws_dynamodb_table", "stream_view_type", "KEYS_ONLY|NEW_IMAGE|OLD_IMAGE|NEW_AND_OLD_IMAGES",
     true},
    {"aws_ec2_transit_gateway", "default_route_table_association", "enable|disable", true},
    {"aws_ec2_transit_gateway", "default_route_table_propagation", "enable|disable", true},
    {"aws_ec2_transit_gateway", "auto_accept_shared_attachments", "enable|disable", true},
    {"aws_ec2_transit_gateway", "dns_support", "enable|disable", true},
    {"aws_ecs_service", "launch_type", "EC2|FARGATE|EXTERNAL", true},
    {"aws_ecs_service", "scheduling_strategy", "REPLICA|DAEMON", true},
    {"aws_ecs_task_definition", "network_mode", "bridge|host|awsvpc|none", true},
    {"aws_kms_key", "customer_master_key_spec",
     "SYMMETRIC_DEFAULT|RSA_2048|RSA_3072|RSA_4096|HMAC_224|HMAC_256|HMAC_384|HMAC_512|"
     "ECC_NIST_P256|ECC_NIST_P384|ECC_NIST_P521|ECC_SECG_P256K1|SM2",
     true},
    {"aws_kms_key", "key_usage", "ENCRYPT_DECRYPT|SIGN_VERIFY|GENERATE_VERIFY_MAC|KEY_AGREEMENT",
     true},
    {"aws_lb", "load_balancer_type", "application|gateway|network", true},
    {"aws_lb_listener", "protocol", "GENEVE|HTTP|HTTPS|TCP|TCP_UDP|TLS|UDP", true},
    /* Elastic Load Balancing checks the policy name at apply: the current
     * TLS 1.2+ policies of "Security policies for your Application Load
     * Balancer" (docs.aws.amazon.com/elasticloadbalancing/latest/application/
     * describe-ssl-policies.html). */
    {"aws_lb_listener", "ssl_policy",
     "ELBSecurityPolicy-TLS13-1-2-2021-06|ELBSecurityPolicy-TLS13-1-2-Res-2021-06|"
     "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06|ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06|"
     "ELBSecurityPolicy-TLS13-1-3-2021-06|ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04|"
     "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04|ELBSecurityPolicy-TLS-1-2-2017-01|"
     "ELBSecurityPolicy-TLS-1-2-Ext-2018-06|ELBSecurityPolicy-FS-1-2-Res-2020-10|"
     "ELBSecurityPolicy-FS-1-2-Res-2019-08",
     false},
    {"aws_lb_target_group", "protocol", "GENEVE|HTTP|HTTPS|TCP|TCP_UDP|TLS|UDP", true},
    {"aws_lb_target_group", "target_type", "instance|ip|lambda|alb", true},
    {"aws_rds_cluster", "engine",
     "aurora-mysql|aurora-postgresql|mysql|postgres", true},
    {"aws_rds_global_cluster", "engine", "aurora|aurora-mysql|aurora-postgresql", true},
    {"aws_s3_bucket_object_lock_configuration", "rule.default_retention.mode",
     "COMPLIANCE|GOVERNANCE", true},
    {"aws_s3_bucket_versioning", "versioning_configuration.status", "Enabled|Suspended|Disabled",
     true},
};

/* The value at "a" or "b.a" (the first element of a nested block). */
static const cJSON *value_at(const cJSON *body, const char *path)
{
    const char *dot = strchr(path, '.');
    if (!dot)
        return cJSON_GetObjectItemCaseSensitive(body, path);
    char head[64];
    size_t n = (size_t)(dot - path) < sizeof head - 1 ? (size_t)(dot - path) : sizeof head - 1;
    memcpy(head, path, n);
    head[n] = '\0';
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(body, head);
    if (cJSON_IsArray(next))
        next = next->child;
    return next ? value_at(next, dot + 1) : NULL;
}

static bool listed(const char *values, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = values; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !strncmp(p, v, n))
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

void pg_v_values(pg_vstate *v)
{
    const cJSON *resources = pg_v_member(v->doc, "resource");
    for (size_t r = 0; resources && r < sizeof rows / sizeof *rows; r++) {
        const cJSON *blocks = pg_v_member(resources, rows[r].type), *b;
        pg_vpath type = pg_v_key(NULL, rows[r].type);
        cJSON_ArrayForEach(b, blocks)
        {
            const cJSON *value = value_at(cJSON_IsArray(b) ? b->child : b, rows[r].path);
            /* an expression is Terraform's to evaluate */
            if (!cJSON_IsString(value) || strstr(value->valuestring, "${") ||
                listed(rows[r].values, value->valuestring))
                continue;
            pg_vpath at = pg_v_key(&type, b->string);
            pg_vpath arg = pg_v_key(&at, rows[r].path);
            pg_v_error(v, &arg, "\"%s\" is not one of %s", value->valuestring, rows[r].values);
        }
    }
}
