/* SPDX-License-Identifier: Apache-2.0 */
/* tftest.c - the `terraform test` files of paygen generate --tests.
 *
 * Terraform reads test files written in JSON as it reads .tf.json (".tftest.hcl
 * and .tftest.json", https://developer.hashicorp.com/terraform/language/files/tests;
 * the JSON mapping of blocks and expressions is
 * https://developer.hashicorp.com/terraform/language/syntax/json), so the
 * tests are built with cJSON from the finished stack and printed like every
 * other document. Mocked providers need Terraform 1.7
 * (https://developer.hashicorp.com/terraform/language/tests/mocking);
 * override_during needs 1.11.
 *
 * tests/paygen.tftest.json holds:
 *  - mock_provider "aws" for the default provider and every alias, so no
 *    credentials and no network are needed. A mock invents random strings
 *    for computed attributes; where the provider validates what it is given
 *    (an ARN, a policy document) that fails, so every computed ARN of the
 *    types the stack uses gets a well-formed default in the provider's
 *    region (the table below, kept honest against the shipped provider
 *    schema by test_tftest), and the data sources the core reads get an
 *    account, a partition and a valid policy document;
 *  - override_data for each terraform_remote_state, with a string for every
 *    output the stack reads from it;
 *  - values for the variables without a default (the alarm e-mail; a
 *    certificate_arn* variable an ACM ARN of its region), chosen to pass
 *    their validation;
 *  - the runs: "plan"; "variables_rejected", a plan with values each
 *    validation must refuse (an address without '@', a certificate of
 *    another region), which expects exactly those failures; and "apply" when no
 *    resource has prevent_destroy, after which terraform test destroys
 *    everything (the teardown every test ends with). A stack with
 *    prevent_destroy (protection: true) cannot be destroyed, and Terraform
 *    1.11 has no way to skip the teardown, so it is planned only, with its
 *    mocks applied during the plan (override_during = plan) so that the
 *    provider validates them there. Where the stack is applied they are
 *    applied at apply, Terraform's default: with override_during the plan's
 *    random values for what is not in the table would differ from the
 *    apply's ("Provider produced inconsistent final plan").
 *  - override_resource for each target of an import block: mocked providers
 *    cannot import. The override holds at plan only with override_during =
 *    plan (else the import's refresh returns unknown values), so a stack
 *    that adopts resources is planned only, like a protected one.
 *
 * The runs need the environment's workspace: the stack's workspace guard
 * fails any plan elsewhere. terraform.workspace is one value for a whole
 * `terraform test` (TF_WORKSPACE sets it, also where init ran with
 * -backend=false, and no run can change it), so a run that expects the
 * guard's failure in a wrong workspace cannot sit beside them: the same
 * file run in another workspace is that test (its first run fails at the
 * guard and only there, the others are skipped; terraform-test.sh checks
 * it). A second file in a directory of its own would do it too, at two
 * more files (and fsyncs) per generation. */
#include "tftest.h"

#include <stdlib.h>
#include <string.h>

#include "run.h"

/* A value to mock: %p is the partition, %r the region, %a the account; a
 * leading "[" makes it a list of one, "map:key=" a map of that key; "[{"
 * starts JSON, taken as written (a list of objects). */
typedef struct mock_row {
    const char *type, *attr, *format; /* format NULL: the type has no ARN to mock */
} mock_row;

#define UUID "00000000-0000-0000-0000-000000000000"
#define EC2 "arn:%p:ec2:%r:%a:"
#define ELB "arn:%p:elasticloadbalancing:%r:%a:"
#define KEY "arn:%p:kms:%r:%a:key/00000000-0000-0000-0000-000000000000"
#define LAMBDA "arn:%p:lambda:%r:%a:function:paygen-test"
#define INVOKE "arn:%p:apigateway:%r:lambda:path/2015-03-31/functions/"
#define SECRET "arn:%p:secretsmanager:%r:%a:secret:paygen-test-AbCdEf"
#define RULE EC2 "security-group-rule/sgr-0123456789abcdef0"

/* The computed ARNs of the resource types paygen's plugins write, sorted by
 * type. Formats follow each service's ARN; IAM, Route 53 and S3 ARNs have
 * no region. */
static const mock_row resource_rows[] = {
    {"aws_acm_certificate", "arn", "arn:%p:acm:%r:%a:certificate/" UUID},
    /* the one validation record a certificate of one name asks for */
    {"aws_acm_certificate", "domain_validation_options",
     "[{\"domain_name\":\"paygen.test\",\"resource_record_name\":\"_0123456789abcdef.paygen.test.\","
     "\"resource_record_type\":\"CNAME\",\"resource_record_value\":\"_0123456789abcdef.acm-validations.aws.\"}]"},
    {"aws_acm_certificate_validation", NULL, NULL},
    {"aws_appautoscaling_policy", "arn",
     "arn:%p:autoscaling:%r:%a:scalingPolicy:00000000-0000-0000-0000-000000000000:"
     "resource/ecs/service/paygen-test/paygen-test:policyName/paygen-test"},
    {"aws_appautoscaling_target", "arn", "arn:%p:application-autoscaling:%r:%a:scalable-target/paygen-test"},
    {"aws_cloudtrail", "arn", "arn:%p:cloudtrail:%r:%a:trail/paygen-test"},
    {"aws_cloudwatch_dashboard", "dashboard_arn", "arn:%p:cloudwatch::%a:dashboard/paygen-test"},
    {"aws_cloudwatch_event_rule", "arn", "arn:%p:events:%r:%a:rule/paygen-test"},
    {"aws_cloudwatch_event_target", NULL, NULL},
    {"aws_cloudwatch_log_group", "arn", "arn:%p:logs:%r:%a:log-group:paygen-test"},
    {"aws_cloudwatch_log_metric_filter", NULL, NULL},
    {"aws_cloudwatch_log_resource_policy", NULL, NULL},
    {"aws_cloudwatch_metric_alarm", "arn", "arn:%p:cloudwatch:%r:%a:alarm:paygen-test"},
    {"aws_db_event_subscription", "arn", "arn:%p:rds:%r:%a:es:paygen-test"},
    {"aws_db_subnet_group", "arn", "arn:%p:rds:%r:%a:subgrp:paygen-test"},
    {"aws_default_security_group", "arn", EC2 "security-group/sg-0123456789abcdef0"},
    {"aws_dms_endpoint", "endpoint_arn", "arn:%p:dms:%r:%a:endpoint:PAYGENTEST"},
    {"aws_dms_replication_instance", "replication_instance_arn", "arn:%p:dms:%r:%a:rep:PAYGENTEST"},
    {"aws_dms_replication_task", "replication_task_arn", "arn:%p:dms:%r:%a:task:PAYGENTEST"},
    {"aws_dynamodb_table", "arn", "arn:%p:dynamodb:%r:%a:table/paygen-test"},
    {"aws_ec2_transit_gateway", "arn", EC2 "transit-gateway/tgw-0123456789abcdef0"},
    {"aws_ec2_transit_gateway_peering_attachment", "arn",
     EC2 "transit-gateway-attachment/tgw-attach-0123456789abcdef0"},
    {"aws_ec2_transit_gateway_peering_attachment_accepter", NULL, NULL},
    {"aws_ec2_transit_gateway_route", NULL, NULL},
    {"aws_ec2_transit_gateway_route_table", "arn",
     EC2 "transit-gateway-route-table/tgw-rtb-0123456789abcdef0"},
    {"aws_ec2_transit_gateway_route_table_association", NULL, NULL},
    {"aws_ec2_transit_gateway_vpc_attachment", "arn",
     EC2 "transit-gateway-attachment/tgw-attach-0123456789abcdef1"},
    {"aws_ecr_lifecycle_policy", NULL, NULL},
    {"aws_ecr_replication_configuration", NULL, NULL},
    {"aws_ecr_repository", "arn", "arn:%p:ecr:%r:%a:repository/paygen-test"},
    {"aws_ecs_cluster", "arn", "arn:%p:ecs:%r:%a:cluster/paygen-test"},
    {"aws_ecs_service", NULL, NULL},
    {"aws_ecs_task_definition", "arn", "arn:%p:ecs:%r:%a:task-definition/paygen-test:1"},
    {"aws_ecs_task_definition", "arn_without_revision", "arn:%p:ecs:%r:%a:task-definition/paygen-test"},
    {"aws_flow_log", "arn", EC2 "vpc-flow-log/fl-0123456789abcdef0"},
    {"aws_iam_policy", "arn", "arn:%p:iam::%a:policy/paygen-test"},
    {"aws_iam_role", "arn", "arn:%p:iam::%a:role/paygen-test"},
    {"aws_iam_role_policy", NULL, NULL},
    {"aws_iam_role_policy_attachment", NULL, NULL},
    {"aws_internet_gateway", "arn", EC2 "internet-gateway/igw-0123456789abcdef0"},
    {"aws_kms_alias", "arn", "arn:%p:kms:%r:%a:alias/paygen-test"},
    {"aws_kms_alias", "target_key_arn", KEY},
    {"aws_kms_key", "arn", KEY},
    {"aws_lambda_function", "arn", LAMBDA},
    {"aws_lambda_function", "invoke_arn", INVOKE LAMBDA "/invocations"},
    {"aws_lambda_function", "qualified_arn", LAMBDA ":1"},
    {"aws_lambda_function", "qualified_invoke_arn", INVOKE LAMBDA ":1/invocations"},
    {"aws_lambda_function_event_invoke_config", NULL, NULL},
    {"aws_lambda_permission", NULL, NULL},
    {"aws_lb", "arn", ELB "loadbalancer/app/paygen-test/0123456789abcdef"},
    {"aws_lb", "arn_suffix", "app/paygen-test/0123456789abcdef"},
    {"aws_lb_listener", "arn", ELB "listener/app/paygen-test/0123456789abcdef/0123456789abcdef"},
    {"aws_lb_target_group", "arn", ELB "targetgroup/paygen-test/0123456789abcdef"},
    {"aws_lb_target_group", "arn_suffix", "targetgroup/paygen-test/0123456789abcdef"},
    {"aws_rds_cluster", "arn", "arn:%p:rds:%r:%a:cluster:paygen-test"},
    {"aws_rds_cluster_instance", "arn", "arn:%p:rds:%r:%a:db:paygen-test"},
    {"aws_rds_cluster_parameter_group", "arn", "arn:%p:rds:%r:%a:cluster-pg:paygen-test"},
    {"aws_rds_global_cluster", "arn", "arn:%p:rds::%a:global-cluster:paygen-test"},
    {"aws_route", NULL, NULL},
    {"aws_route53_health_check", "arn", "arn:%p:route53:::healthcheck/00000000-0000-0000-0000-000000000000"},
    {"aws_route53_record", NULL, NULL},
    {"aws_route53_zone", "arn", "arn:%p:route53:::hostedzone/Z0123456789ABCDEFGHIJ"},
    {"aws_route_table", "arn", EC2 "route-table/rtb-0123456789abcdef0"},
    {"aws_route_table_association", NULL, NULL},
    {"aws_s3_bucket", "arn", "arn:%p:s3:::paygen-test"},
    {"aws_s3_bucket_lifecycle_configuration", NULL, NULL},
    {"aws_s3_bucket_logging", NULL, NULL},
    {"aws_s3_bucket_object_lock_configuration", NULL, NULL},
    {"aws_s3_bucket_ownership_controls", NULL, NULL},
    {"aws_s3_bucket_policy", NULL, NULL},
    {"aws_s3_bucket_public_access_block", NULL, NULL},
    {"aws_s3_bucket_replication_configuration", NULL, NULL},
    {"aws_s3_bucket_server_side_encryption_configuration", NULL, NULL},
    {"aws_s3_bucket_versioning", NULL, NULL},
    {"aws_secretsmanager_secret", "arn", SECRET},
    {"aws_secretsmanager_secret_rotation", NULL, NULL},
    {"aws_secretsmanager_secret_version", "arn", SECRET},
    {"aws_security_group", "arn", EC2 "security-group/sg-0123456789abcdef1"},
    {"aws_serverlessapplicationrepository_cloudformation_stack", "outputs",
     "map:RotationLambdaARN=arn:%p:lambda:%r:%a:function:paygen-test"},
    {"aws_sns_topic", "arn", "arn:%p:sns:%r:%a:paygen-test"},
    {"aws_sns_topic_policy", NULL, NULL},
    {"aws_sns_topic_subscription", "arn", "arn:%p:sns:%r:%a:paygen-test:" UUID},
    {"aws_ssm_parameter", NULL, NULL}, /* its arn is an argument, not computed */
    {"aws_subnet", "arn", EC2 "subnet/subnet-0123456789abcdef0"},
    {"aws_vpc", "arn", EC2 "vpc/vpc-0123456789abcdef0"},
    {"aws_vpc_endpoint", "arn", EC2 "vpc-endpoint/vpce-0123456789abcdef0"},
    {"aws_vpc_security_group_egress_rule", "arn", RULE},
    {"aws_vpc_security_group_ingress_rule", "arn", RULE},
    {"aws_wafv2_web_acl", "arn", "arn:%p:wafv2:%r:%a:regional/webacl/paygen-test/" UUID},
    {"aws_wafv2_web_acl_association", NULL, NULL},
    {"aws_wafv2_web_acl_logging_configuration", NULL, NULL},
};

/* A policy every consumer of aws_iam_policy_document accepts: a JSON object
 * with a version and statements. */
#define POLICY "{\"Statement\":[],\"Version\":\"2012-10-17\"}"

/* The data sources: who and where (the core reads them in every stack), the
 * policy documents, and ARNs. */
static const mock_row data_rows[] = {
    {"aws_caller_identity", "account_id", "%a"},
    {"aws_caller_identity", "arn", "arn:%p:iam::%a:user/paygen-test"},
    {"aws_caller_identity", "id", "%a"},
    {"aws_caller_identity", "user_id", "AIDAPAYGENTEST000000"},
    /* one digest in every region, as the services' preconditions want */
    {"aws_ecr_image", "image_digest",
     "sha256:0000000000000000000000000000000000000000000000000000000000000000"},
    /* the account Elastic Load Balancing writes access logs from (us-east-1's) */
    {"aws_elb_service_account", "arn", "arn:%p:iam::127311923021:root"},
    {"aws_elb_service_account", "id", "127311923021"},
    {"aws_iam_policy_document", "json", POLICY},
    {"aws_iam_policy_document", "minified_json", POLICY},
    /* an account role looked up (dms-vpc-role), trusting its service */
    {"aws_iam_role", "arn", "arn:%p:iam::%a:role/paygen-test"},
    {"aws_iam_role", "assume_role_policy",
     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
     "\"dms.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"},
    {"aws_partition", "dns_suffix", "%d"},
    {"aws_partition", "id", "%p"},
    {"aws_partition", "partition", "%p"},
    {"aws_partition", "reverse_dns_prefix", "%s"},
    /* a cluster that is not (or no longer) a read replica */
    {"aws_rds_cluster", "arn", "arn:%p:rds:%r:%a:cluster:paygen-test"},
    {"aws_rds_cluster", "replication_source_identifier", ""},
    {"aws_secretsmanager_random_password", NULL, NULL},
    /* one of each: an attachment or a for_each needs at least one */
    {"aws_security_groups", "ids", "[sg-0123456789abcdef0"},
    {"aws_subnets", "ids", "[subnet-0123456789abcdef0"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

bool pg_tftest_mock_row(bool data, size_t i, const char **type, const char **attr, const char **format)
{
    const mock_row *rows = data ? data_rows : resource_rows;
    if (i >= (data ? COUNT(data_rows) : COUNT(resource_rows)))
        return false;
    *type = rows[i].type;
    *attr = rows[i].attr;
    *format = rows[i].format;
    return true;
}

/* One aws provider block of the stack. */
typedef struct provider {
    const char *alias;      /* NULL: the default provider */
    const char *region;
    const char *partition, *dns_suffix, *reverse_dns;
    cJSON *resources, *data; /* mock_resource, mock_data (NULL until one is added) */
} provider;

typedef struct stack_info {
    const cJSON *doc;
    provider *providers;
    size_t provider_count;
    bool protect;            /* a resource has lifecycle.prevent_destroy */
    const char *environment; /* the workspace guard's input */
} stack_info;

/* Partition of a region, as the provider has it. */
static void set_partition(provider *p)
{
    const char *r = p->region ? p->region : "";
    if (pg_str_starts_with(r, "cn-")) {
        p->partition = "aws-cn", p->dns_suffix = "amazonaws.com.cn", p->reverse_dns = "cn.com.amazonaws";
    } else if (pg_str_starts_with(r, "us-gov-")) {
        p->partition = "aws-us-gov", p->dns_suffix = "amazonaws.com", p->reverse_dns = "com.amazonaws";
    } else {
        p->partition = "aws", p->dns_suffix = "amazonaws.com", p->reverse_dns = "com.amazonaws";
    }
}

/* FORMAT with its % fields filled in for P. A "${" or "%{" would start a
 * template in a JSON test file: they are doubled (no value has one today). */
static cJSON *expand(const char *format, const provider *p)
{
    size_t cap = 256, n = 0;
    char *buf = pg_xmalloc(cap);
    for (const char *f = format; *f; f++) {
        const char *add = NULL;
        char one[2] = {*f, '\0'};
        if (*f == '%' && f[1]) {
            switch (*++f) {
            case 'p': add = p->partition; break;
            case 'r': add = p->region ? p->region : ""; break;
            case 'a': add = PG_TFTEST_ACCOUNT; break;
            case 'd': add = p->dns_suffix; break;
            case 's': add = p->reverse_dns; break;
            default: one[0] = *f; add = one; break;
            }
        } else {
            add = one;
        }
        for (; *add; add++) {
            if (n + 3 > cap)
                buf = pg_xrealloc(buf, cap *= 2);
            if ((*add == '$' || *add == '%') && add[1] == '{')
                buf[n++] = *add;
            buf[n++] = *add;
        }
    }
    buf[n] = '\0';
    cJSON *s = cJSON_CreateString(buf);
    free(buf);
    return s;
}

static provider *provider_named_by(const stack_info *s, const cJSON *ref)
{
    const char *alias = NULL;
    if (cJSON_IsString(ref)) {
        if (!pg_str_starts_with(ref->valuestring, "aws"))
            return NULL;
        if (ref->valuestring[3] == '.')
            alias = ref->valuestring + 4;
        else if (ref->valuestring[3])
            return NULL; /* another provider ("awscc") */
    }
    for (size_t i = 0; i < s->provider_count; i++) {
        const char *a = s->providers[i].alias;
        if (alias ? a && !strcmp(a, alias) : !a)
            return &s->providers[i];
    }
    return NULL;
}

/* A block's "provider" and "lifecycle", in one pass over its keys. */
static void block_fields(const cJSON *block, const cJSON **provider_ref, const cJSON **lifecycle)
{
    *provider_ref = *lifecycle = NULL;
    for (const cJSON *c = block ? block->child : NULL; c; c = c->next) {
        if (!c->string || (c->string[0] != 'p' && c->string[0] != 'l'))
            continue;
        if (!strcmp(c->string, "provider"))
            *provider_ref = c;
        else if (!strcmp(c->string, "lifecycle"))
            *lifecycle = cJSON_IsArray(c) ? c->child : c;
    }
}

/* The first row of TYPE in ROWS (sorted by type), or count. */
static size_t first_row(const mock_row *rows, size_t count, const char *type)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rows[mid].type, type) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && !strcmp(rows[lo].type, type) ? lo : count;
}

/* The defaults of TYPE for P from ROWS; a type not in the table that may
 * have an ARN gets one made from its name (aws_sqs_queue:
 * arn:aws:sqs:REGION:ACCOUNT:queue/paygen-test). Terraform ignores a
 * default the type does not have. NULL: nothing to mock. */
static cJSON *defaults_of(const mock_row *rows, size_t count, const char *type, const provider *p)
{
    cJSON *d = NULL;
    size_t i = first_row(rows, count, type);
    bool known = i < count;
    for (; i < count && !strcmp(rows[i].type, type); i++) {
        if (!rows[i].format)
            continue;
        if (!d)
            d = cJSON_CreateObject();
        const char *f = rows[i].format;
        if (f[0] == '[' && f[1] == '{') { /* "[{...}]": JSON, as written */
            cJSON_AddItemToObject(d, rows[i].attr, cJSON_Parse(f));
            continue;
        }
        const char *eq = pg_str_starts_with(f, "map:") ? strchr(f, '=') : NULL;
        cJSON *value = expand(eq ? eq + 1 : f + (f[0] == '['), p);
        if (f[0] == '[') { /* "[x": a list of one x */
            cJSON *list = cJSON_CreateArray();
            cJSON_AddItemToArray(list, value);
            value = list;
        } else if (eq) { /* "map:key=x": a map of key = x */
            cJSON *map = cJSON_CreateObject();
            char *key = pg_xasprintf("%.*s", (int)(eq - f - 4), f + 4);
            cJSON_AddItemToObject(map, key, value);
            free(key);
            value = map;
        }
        cJSON_AddItemToObject(d, rows[i].attr, value);
    }
    if (known || !pg_str_starts_with(type, "aws_"))
        return d;
    const char *service = type + 4, *rest = strchr(service, '_');
    char *format = rest ? pg_xasprintf("arn:%%p:%.*s:%%r:%%a:%s/paygen-test", (int)(rest - service), service,
                                       rest + 1)
                        : pg_xasprintf("arn:%%p:%s:%%r:%%a:resource/paygen-test", service);
    for (char *c = format; *c; c++)
        if (*c == '_')
            *c = '-';
    d = cJSON_CreateObject();
    cJSON_AddItemToObject(d, "arn", expand(format, p));
    free(format);
    return d;
}

/* Each aws type of KIND ("resource", "data") once per provider that serves
 * an instance of it, with its defaults; for resources, whether one of them
 * (of any provider) has prevent_destroy. */
static void collect_types(stack_info *s, const char *kind, bool data)
{
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(s->doc, kind), *type;
    bool *used = pg_xcalloc(s->provider_count + 1, sizeof *used);
    cJSON_ArrayForEach(type, types)
    {
        bool aws = type->string && pg_str_starts_with(type->string, "aws_");
        memset(used, 0, (s->provider_count + 1) * sizeof *used);
        const cJSON *block;
        cJSON_ArrayForEach(block, type)
        {
            const cJSON *ref, *life;
            block_fields(cJSON_IsArray(block) ? block->child : block, &ref, &life);
            provider *p = aws ? provider_named_by(s, ref) : NULL;
            if (p)
                used[p - s->providers] = true;
            if (!data && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(life, "prevent_destroy")))
                s->protect = true;
        }
        for (size_t i = 0; aws && i < s->provider_count; i++) {
            if (!used[i])
                continue;
            provider *p = &s->providers[i];
            cJSON *d = data ? defaults_of(data_rows, COUNT(data_rows), type->string, p)
                            : defaults_of(resource_rows, COUNT(resource_rows), type->string, p);
            if (!d)
                continue;
            cJSON **set = data ? &p->data : &p->resources;
            if (!*set)
                *set = cJSON_CreateObject();
            cJSON *entry = cJSON_AddObjectToObject(*set, type->string);
            cJSON_AddItemToObject(entry, "defaults", d);
        }
    }
    free(used);
}

static void read_stack(stack_info *s, const cJSON *doc)
{
    *s = (stack_info){.doc = doc};
    const cJSON *providers = cJSON_GetObjectItemCaseSensitive(doc, "provider");
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(providers, "aws");
    size_t n = cJSON_IsArray(aws) ? (size_t)cJSON_GetArraySize(aws) : cJSON_IsObject(aws) ? 1 : 0;
    s->providers = pg_xcalloc(n + 1, sizeof *s->providers);
    const cJSON *p = cJSON_IsArray(aws) ? aws->child : cJSON_IsObject(aws) ? aws : NULL;
    for (; p && s->provider_count < n; p = p->next) {
        const cJSON *alias = cJSON_GetObjectItemCaseSensitive(p, "alias");
        const cJSON *region = cJSON_GetObjectItemCaseSensitive(p, "region");
        provider *q = &s->providers[s->provider_count++];
        q->alias = cJSON_IsString(alias) ? alias->valuestring : NULL;
        q->region = cJSON_IsString(region) ? region->valuestring : NULL;
        set_partition(q);
    }
    if (s->provider_count == 0) { /* no provider block: Terraform's default one */
        s->provider_count = 1;
        set_partition(&s->providers[0]);
    }
    collect_types(s, "resource", false);
    collect_types(s, "data", true);
    const cJSON *guard = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "resource"), "terraform_data"),
        "workspace_guard");
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(guard, "input");
    s->environment = cJSON_IsString(input) ? input->valuestring : NULL;
}

static void free_stack(stack_info *s)
{
    for (size_t i = 0; i < s->provider_count; i++) {
        cJSON_Delete(s->providers[i].resources);
        cJSON_Delete(s->providers[i].data);
    }
    free(s->providers);
}

/* mock_provider "aws", one block per provider of the stack (the mocks move
 * into it); DURING_PLAN applies every mock during planning. */
static void add_mock_providers(cJSON *test, stack_info *s, bool during_plan)
{
    cJSON *blocks = cJSON_AddArrayToObject(cJSON_AddObjectToObject(test, "mock_provider"), "aws");
    for (size_t i = 0; i < s->provider_count; i++) {
        provider *p = &s->providers[i];
        cJSON *b = cJSON_CreateObject();
        if (p->alias)
            cJSON_AddStringToObject(b, "alias", p->alias);
        if (p->data)
            cJSON_AddItemToObject(b, "mock_data", p->data);
        if (p->resources)
            cJSON_AddItemToObject(b, "mock_resource", p->resources);
        p->data = p->resources = NULL;
        if (during_plan)
            cJSON_AddStringToObject(b, "override_during", "plan");
        cJSON_AddItemToArray(blocks, b);
    }
}

/* ----- terraform_remote_state */

#define REMOTE "data.terraform_remote_state."

static size_t ident_len(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') ||
           s[n] == '_' || s[n] == '-')
        n++;
    return n;
}

/* The literal of `== "LIT"` right after a reference, or NULL: the stack
 * compares the output with it (legacy's state check), so the override must
 * hold exactly that value. */
static char *compared_literal(const char *after)
{
    while (*after == ' ')
        after++;
    if (strncmp(after, "==", 2))
        return NULL;
    after += 2;
    while (*after == ' ')
        after++;
    const char *end = *after == '"' ? strchr(after + 1, '"') : NULL;
    return end ? pg_xasprintf("%.*s", (int)(end - after - 1), after + 1) : NULL;
}

/* Every data.terraform_remote_state.NAME.outputs.KEY (or outputs["KEY"]) a
 * string of NODE reads becomes outputs.KEY of NAME's override: the literal
 * the stack compares it with, else "paygen-test". */
static void find_outputs(const cJSON *node, cJSON *outputs_by_name)
{
    for (; node; node = node->next) {
        if (node->child)
            find_outputs(node->child, outputs_by_name);
        if (!cJSON_IsString(node) || !node->valuestring)
            continue;
        for (const char *at = strstr(node->valuestring, REMOTE); at; at = strstr(at, REMOTE)) {
            at += strlen(REMOTE);
            size_t n = ident_len(at), k = 0, skip = 0;
            if (n && !strncmp(at + n, ".outputs.", 9))
                skip = 9, k = ident_len(at + n + 9);
            else if (n && !strncmp(at + n, ".outputs[\"", 10)) {
                skip = 10, k = ident_len(at + n + 10);
                if (at[n + skip + k] != '"' || at[n + skip + k + 1] != ']')
                    k = 0;
            }
            if (!k)
                continue;
            const char *after = at + n + skip + k + (skip == 10 ? 2 : 0);
            char *name = pg_xasprintf("%.*s", (int)n, at), *key = pg_xasprintf("%.*s", (int)k, at + n + skip);
            char *literal = compared_literal(after);
            cJSON *outputs = cJSON_GetObjectItemCaseSensitive(outputs_by_name, name);
            if (outputs && !cJSON_GetObjectItemCaseSensitive(outputs, key))
                cJSON_AddStringToObject(outputs, key, literal ? literal : "paygen-test");
            free(literal);
            free(name);
            free(key);
        }
    }
}

static void add_remote_state(cJSON *test, const stack_info *s)
{
    const cJSON *states = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->doc, "data"),
                                                           "terraform_remote_state"), *state;
    if (!cJSON_IsObject(states) || !states->child)
        return;
    cJSON *outputs_by_name = cJSON_CreateObject();
    cJSON_ArrayForEach(state, states)
        cJSON_AddObjectToObject(outputs_by_name, state->string);
    find_outputs(s->doc->child, outputs_by_name);
    cJSON *overrides = cJSON_AddArrayToObject(test, "override_data");
    cJSON_ArrayForEach(state, states)
    {
        cJSON *o = cJSON_CreateObject();
        char *target = pg_xasprintf(REMOTE "%s", state->string);
        cJSON_AddStringToObject(o, "target", target);
        free(target);
        cJSON *values = cJSON_AddObjectToObject(o, "values");
        const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(outputs_by_name, state->string);
        cJSON_AddItemToObject(values, "outputs", cJSON_Duplicate(outputs, true));
        cJSON_AddItemToArray(overrides, o);
    }
    cJSON_Delete(outputs_by_name);
}

/* ----- import */

/* Mocked providers cannot import ("Cannot import resources from mock
 * providers"): each import target gets an override_resource instead, with
 * the well-formed values its type's mocks have. */
static void add_imports(cJSON *test, const stack_info *s)
{
    const cJSON *imports = cJSON_GetObjectItemCaseSensitive(s->doc, "import"), *imp;
    if (!cJSON_IsArray(imports) || !imports->child)
        return;
    cJSON *overrides = cJSON_AddArrayToObject(test, "override_resource");
    cJSON_ArrayForEach(imp, imports)
    {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(imp, "to");
        if (!cJSON_IsString(to))
            continue;
        const char *dot = strchr(to->valuestring, '.');
        char *type = dot ? pg_xasprintf("%.*s", (int)(dot - to->valuestring), to->valuestring) : NULL;
        provider *p = provider_named_by(s, cJSON_GetObjectItemCaseSensitive(imp, "provider"));
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "target", to->valuestring);
        cJSON *values = type && p ? defaults_of(resource_rows, COUNT(resource_rows), type, p) : NULL;
        if (values)
            cJSON_AddItemToObject(o, "values", values);
        cJSON_AddStringToObject(o, "override_during", "plan");
        cJSON_AddItemToArray(overrides, o);
        free(type);
    }
}

/* ----- variables */

/* The region an ACM certificate variable's validation insists on: the
 * REGION of ":acm:REGION:" in one of its conditions. */
static char *acm_region(const cJSON *var)
{
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(var, "validation");
    const cJSON *rule = cJSON_IsArray(rules) ? rules->child : cJSON_IsObject(rules) ? rules : NULL;
    for (; rule; rule = cJSON_IsArray(rules) ? rule->next : NULL) {
        const cJSON *cond = cJSON_GetObjectItemCaseSensitive(rule, "condition");
        const char *at = cJSON_IsString(cond) ? strstr(cond->valuestring, ":acm:") : NULL;
        size_t n = at ? strspn(at + 5, "abcdefghijklmnopqrstuvwxyz0123456789-") : 0;
        if (n && at[5 + n] == ':')
            return pg_xasprintf("%.*s", (int)n, at + 5);
    }
    return NULL;
}

/* The provider a name ending in _<alias> belongs to, else the default. */
static const provider *provider_named(const stack_info *s, const char *name)
{
    const char *us = strrchr(name, '_');
    for (size_t i = 0; us && i < s->provider_count; i++)
        if (s->providers[i].alias && !strcmp(s->providers[i].alias, us + 1))
            return &s->providers[i];
    for (size_t i = 0; i < s->provider_count; i++)
        if (!s->providers[i].alias)
            return &s->providers[i];
    return &s->providers[0];
}

static cJSON *certificate(const provider *p, const char *region)
{
    char *arn = pg_xasprintf("arn:%s:acm:%s:" PG_TFTEST_ACCOUNT ":certificate/" UUID, p->partition, region);
    cJSON *v = cJSON_CreateString(arn);
    free(arn);
    return v;
}

static bool has_validation(const cJSON *var)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(var, "validation");
    return cJSON_IsObject(v) || (cJSON_IsArray(v) && v->child);
}

/* A value for the variable NAME that its validation accepts, and in *bad
 * one it must refuse, when paygen knows such a value (NULL otherwise). */
static cJSON *value_for(const stack_info *s, const char *name, const cJSON *var, cJSON **bad)
{
    *bad = NULL;
    if (strstr(name, "email")) {
        if (has_validation(var))
            *bad = cJSON_CreateString("alerts.example.com");
        return cJSON_CreateString("alerts@example.com");
    }
    if (pg_str_starts_with(name, "certificate_arn")) {
        const provider *p = provider_named(s, name);
        char *region = acm_region(var);
        cJSON *v = certificate(p, region ? region : p->region ? p->region : "us-east-1");
        if (region) /* the validation checks the region: another one is refused */
            *bad = certificate(p, strcmp(region, "eu-west-3") ? "eu-west-3" : "eu-west-1");
        free(region);
        return v;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(var, "type");
    const char *t = cJSON_IsString(type) ? type->valuestring : "string";
    if (!strcmp(t, "number"))
        return cJSON_CreateNumber(1);
    if (!strcmp(t, "bool"))
        return cJSON_CreateFalse();
    if (pg_str_starts_with(t, "list") || pg_str_starts_with(t, "set") || pg_str_starts_with(t, "tuple"))
        return cJSON_CreateArray();
    if (pg_str_starts_with(t, "map") || pg_str_starts_with(t, "object"))
        return cJSON_CreateObject();
    return cJSON_CreateString("paygen-test");
}

/* File-level values for every variable without a default; *bad gets the
 * values to refuse (NULL when there are none). */
static void add_variables(cJSON *test, const stack_info *s, cJSON **bad)
{
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(s->doc, "variable"), *var;
    cJSON *values = NULL;
    *bad = NULL;
    cJSON_ArrayForEach(var, vars)
    {
        if (!var->string || cJSON_GetObjectItemCaseSensitive(var, "default"))
            continue;
        cJSON *wrong;
        cJSON *v = value_for(s, var->string, var, &wrong);
        if (!values)
            values = cJSON_AddObjectToObject(test, "variables");
        cJSON_AddItemToObject(values, var->string, v);
        if (wrong) {
            if (!*bad)
                *bad = cJSON_CreateObject();
            cJSON_AddItemToObject(*bad, var->string, wrong);
        }
    }
}

/* ----- the documents */

static cJSON *run(cJSON *runs, const char *name, const char *command)
{
    cJSON *item = cJSON_CreateObject();
    cJSON *r = cJSON_AddObjectToObject(item, name);
    cJSON_AddStringToObject(r, "command", command);
    cJSON_AddItemToArray(runs, item);
    return r;
}

static void comment(cJSON *test, const char *before, const char *environment, const char *after)
{
    char *c = pg_xasprintf("%s%s%s", before, environment ? environment : "ENVIRONMENT", after);
    cJSON_AddStringToObject(test, "//", c);
    free(c);
}

void pg_tftest_build(pg_tftest *t, const cJSON *stack)
{
    *t = (pg_tftest){0};
    stack_info s;
    read_stack(&s, stack);
    /* Imported resources are overridden, which holds at plan only with
     * override_during = plan (the import's refresh has no values otherwise),
     * and with it the apply's random values would differ from the plan's:
     * planned only, like a protected stack. */
    const cJSON *imports = cJSON_GetObjectItemCaseSensitive(stack, "import");
    bool plan_only = s.protect || cJSON_GetArraySize(imports) > 0;
    t->applies = !plan_only;
    t->environment = s.environment;

    cJSON *m = t->doc = cJSON_CreateObject();
    comment(m,
            "Written by paygen generate --tests. No AWS account is used: terraform init -backend=false, "
            "then TF_WORKSPACE=", s.environment, " terraform test (docs/testing-terraform.md).");
    add_mock_providers(m, &s, plan_only);
    add_remote_state(m, &s);
    add_imports(m, &s);
    cJSON *bad;
    add_variables(m, &s, &bad);
    /* An array keeps the runs in order whatever sorts the keys. */
    cJSON *runs = cJSON_AddArrayToObject(m, "run");
    run(runs, "plan", "plan");
    if (bad) {
        cJSON *r = run(runs, "variables_rejected", "plan");
        cJSON *expect = cJSON_AddArrayToObject(r, "expect_failures");
        const cJSON *v;
        cJSON_ArrayForEach(v, bad)
        {
            char *ref = pg_xasprintf("var.%s", v->string);
            cJSON_AddItemToArray(expect, cJSON_CreateString(ref));
            free(ref);
        }
        cJSON_AddItemToObject(r, "variables", bad);
    }
    if (t->applies)
        run(runs, "apply", "apply");
    pg_json_sort(m);
    free_stack(&s);
}

void pg_tftest_free(pg_tftest *t)
{
    cJSON_Delete(t->doc);
    *t = (pg_tftest){0};
}
