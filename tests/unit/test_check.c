/* SPDX-License-Identifier: Apache-2.0 */
/* paygen check: each guardrail fires on a minimal violation of a compliant
 * document (tests/data/check/pass.json) and names the right address; the
 * compliant document passes; SARIF output parses and names the rules. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "harness.h"
#include "schema.h"

static cJSON *load_pass(void)
{
    pg_errors err = {0};
    char *text = pg_read_text(th_source("tests/data/check/pass.json"), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    return doc;
}

/* Sets (value JSON text) or deletes (value NULL) the node at "a/b/0/c". */
static void mutate(cJSON *doc, const char *path, const char *value)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *node = doc;
    char *save = NULL, *seg = strtok_r(buf, "/", &save);
    while (seg) {
        char *next = strtok_r(NULL, "/", &save);
        bool index = cJSON_IsArray(node);
        int i = atoi(seg);
        if (!next) {
            cJSON *v = value ? cJSON_Parse(value) : NULL;
            if (value)
                CU_ASSERT_PTR_NOT_NULL_FATAL(v);
            if (index && !v)
                cJSON_DeleteItemFromArray(node, i);
            else if (index)
                cJSON_ReplaceItemInArray(node, i, v);
            else if (!v)
                cJSON_DeleteItemFromObjectCaseSensitive(node, seg);
            else if (cJSON_GetObjectItemCaseSensitive(node, seg))
                cJSON_ReplaceItemInObjectCaseSensitive(node, seg, v);
            else
                cJSON_AddItemToObject(node, seg, v);
            return;
        }
        node = index ? cJSON_GetArrayItem(node, i) : cJSON_GetObjectItemCaseSensitive(node, seg);
        if (!node)
            fprintf(stderr, "no %s in %s\n", seg, path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(node);
        seg = next;
    }
}

static size_t run_check(const cJSON *doc, int protection, pg_findings *fs)
{
    return pg_check_stack(doc, "payment", "pass.json", protection, fs, NULL);
}

static void dump(const pg_findings *fs)
{
    for (size_t i = 0; i < fs->count; i++)
        fprintf(stderr, "  got %s %s: %s\n", fs->items[i].rule->id, fs->items[i].address, fs->items[i].message);
}

static void test_compliant_document_passes(void)
{
    cJSON *doc = load_pass();
    pg_findings fs = {0};
    size_t n;
    pg_check_rules(&n);
    bool *applies = calloc(n, sizeof *applies);
    CU_ASSERT_EQUAL(pg_check_stack(doc, "payment", NULL, 1, &fs, applies), 0);
    dump(&fs);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_TRUE(applies[i]); /* the document exercises every rule */
    free(applies);
    pg_findings_free(&fs);
    cJSON_Delete(doc);
}

#define CONTAINER(extra)                                                                           \
    "\"[{\\\"name\\\":\\\"app\\\",\\\"image\\\":\\\"app:1\\\",\\\"readonlyRootFilesystem\\\":true,"  \
    "\\\"logConfiguration\\\":{\\\"logDriver\\\":\\\"awslogs\\\"}" extra "}]\""

typedef struct violation {
    const char *rule, *address;
    const char *path, *value;    /* one mutation of pass.json */
    const char *path2, *value2;  /* an optional second one */
} violation;

#define DEL NULL
static const violation violations[] = {
    {"PCI-S3-001", "aws_s3_bucket_public_access_block.audit",
     "resource/aws_s3_bucket_public_access_block/audit/block_public_policy", "false", NULL, NULL},
    {"PCI-S3-001", "aws_s3_bucket.alb_logs", "resource/aws_s3_bucket_public_access_block/alb_logs", DEL, NULL, NULL},
    {"PCI-S3-002", "aws_s3_bucket_server_side_encryption_configuration.audit",
     "resource/aws_s3_bucket_server_side_encryption_configuration/audit/rule/0/"
     "apply_server_side_encryption_by_default/0/sse_algorithm", "\"AES256\"", NULL, NULL},
    {"PCI-S3-002", "aws_s3_bucket_server_side_encryption_configuration.audit",
     "resource/aws_s3_bucket_server_side_encryption_configuration/audit/rule/0/"
     "apply_server_side_encryption_by_default/0/kms_master_key_id", "\"alias/aws/s3\"", NULL, NULL},
    /* AES256 is only allowed on the ELB log bucket */
    {"PCI-S3-002", "aws_s3_bucket_server_side_encryption_configuration.alb_logs",
     "resource/aws_lb/web/access_logs/bucket", "\"${aws_s3_bucket.audit.id}\"", NULL, NULL},
    {"PCI-S3-002", "aws_s3_bucket.audit", "resource/aws_s3_bucket_server_side_encryption_configuration/audit", DEL,
     NULL, NULL},
    {"PCI-S3-003", "aws_s3_bucket_policy.audit", "data/aws_iam_policy_document/tls_audit/statement/0/condition", DEL,
     NULL, NULL},
    {"PCI-S3-003", "aws_s3_bucket.alb_logs", "resource/aws_s3_bucket_policy/alb_logs", DEL, NULL, NULL},
    {"PCI-S3-004", "aws_s3_bucket_versioning.audit",
     "resource/aws_s3_bucket_versioning/audit/versioning_configuration/status", "\"Suspended\"", NULL, NULL},
    {"PCI-RDS-001", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/storage_encrypted", "false", NULL, NULL},
    {"PCI-RDS-001", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/kms_key_id", DEL, NULL, NULL},
    {"PCI-RDS-001", "aws_rds_global_cluster.main", "resource/aws_rds_global_cluster/main/storage_encrypted", "false",
     NULL, NULL},
    {"PCI-RDS-002", "aws_rds_cluster_parameter_group.pg",
     "resource/aws_rds_cluster_parameter_group/pg/parameter/1/value", "\"0\"", NULL, NULL},
    {"PCI-RDS-002", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/db_cluster_parameter_group_name", DEL,
     NULL, NULL},
    {"PCI-RDS-003", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/deletion_protection", "false", NULL, NULL},
    {"PCI-RDS-004", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/backup_retention_period", "3", NULL, NULL},
    {"PCI-RDS-004", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/backup_retention_period", DEL, NULL, NULL},
    {"PCI-RDS-005", "aws_rds_cluster_instance.one", "resource/aws_rds_cluster_instance/one/publicly_accessible",
     "true", NULL, NULL},
    {"PCI-KMS-001", "aws_kms_key.data", "resource/aws_kms_key/data/enable_key_rotation", "false", NULL, NULL},
    {"PCI-KMS-002", "data.aws_iam_policy_document.key",
     "data/aws_iam_policy_document/key/statement/0/principals/0/identifiers", "[\"*\"]", NULL, NULL},
    {"PCI-KMS-002", "aws_kms_key.data", "resource/aws_kms_key/data/policy", DEL, "data/aws_iam_policy_document/key",
     DEL},
    {"PCI-IAM-001", "data.aws_iam_policy_document.task", "data/aws_iam_policy_document/task/statement/0/actions",
     "[\"logs:*\"]", NULL, NULL},
    {"PCI-IAM-001", "aws_iam_role_policy.app", "resource/aws_iam_role_policy/app/policy",
     "\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"arn:aws:s3:::x\\\"}]}\"",
     NULL, NULL},
    {"PCI-IAM-002", "data.aws_iam_policy_document.task", "data/aws_iam_policy_document/task/statement/1/actions",
     "[\"ssm:PutParameter\"]", NULL, NULL},
    {"PCI-ELB-001", "aws_lb_listener.https", "resource/aws_lb_listener/https/ssl_policy",
     "\"ELBSecurityPolicy-2016-08\"", NULL, NULL},
    {"PCI-ELB-001", "aws_lb_listener.https", "resource/aws_lb_listener/https/ssl_policy", DEL, NULL, NULL},
    {"PCI-ELB-002", "aws_lb_listener.http", "resource/aws_lb_listener/http/default_action/0/type", "\"forward\"",
     NULL, NULL},
    {"PCI-ELB-003", "aws_lb.web", "resource/aws_lb/web/drop_invalid_header_fields", "false", NULL, NULL},
    {"PCI-ELB-004", "aws_lb.web", "resource/aws_lb/web/access_logs/enabled", "false", NULL, NULL},
    {"PCI-EC2-001", "aws_vpc_security_group_ingress_rule.alb_https",
     "resource/aws_vpc_security_group_ingress_rule/alb_https/from_port", "22", "resource/aws_vpc_security_group_ingress_rule/alb_https/to_port", "22"},
    {"PCI-EC2-001", "aws_vpc_security_group_ingress_rule.alb_http6",
     "resource/aws_vpc_security_group_ingress_rule/alb_http6/security_group_id", "\"${aws_security_group.app.id}\"",
     NULL, NULL},
    {"PCI-EC2-001", "aws_security_group_rule.db", "resource/aws_security_group_rule/db/cidr_blocks",
     "[\"0.0.0.0/0\"]", NULL, NULL},
    {"PCI-EC2-001", "aws_security_group.app", "resource/aws_security_group/app/ingress/0/cidr_blocks",
     "[\"0.0.0.0/0\"]", NULL, NULL},
    {"PCI-EC2-002", "aws_default_security_group.main", "resource/aws_default_security_group/main/egress",
     "[{\"from_port\":0,\"to_port\":0,\"protocol\":\"-1\",\"cidr_blocks\":[\"0.0.0.0/0\"]}]", NULL, NULL},
    {"PCI-EC2-002", "aws_vpc.main", "resource/aws_default_security_group", DEL, NULL, NULL},
    {"PCI-EC2-003", "aws_flow_log.main", "resource/aws_flow_log/main/traffic_type", "\"REJECT\"", NULL, NULL},
    {"PCI-EC2-003", "aws_vpc.main", "resource/aws_flow_log", DEL, NULL, NULL},
    {"PCI-EC2-004", "aws_ec2_transit_gateway.main",
     "resource/aws_ec2_transit_gateway/main/auto_accept_shared_attachments", "\"enable\"", NULL, NULL},
    {"PCI-LOG-001", "aws_cloudwatch_log_group.flow", "resource/aws_cloudwatch_log_group/flow/kms_key_id", DEL, NULL,
     NULL},
    {"PCI-LOG-002", "aws_cloudwatch_log_group.flow", "resource/aws_cloudwatch_log_group/flow/retention_in_days",
     "90", NULL, NULL},
    {"PCI-ECS-001", "aws_ecs_task_definition.app", "resource/aws_ecs_task_definition/app/container_definitions",
     CONTAINER(",\\\"privileged\\\":true"), NULL, NULL},
    {"PCI-ECS-001", "aws_ecs_task_definition.app", "resource/aws_ecs_task_definition/app/container_definitions",
     "\"${jsonencode(local.containers)}\"", "locals", "{\"containers\":[]}"},
    {"PCI-ECS-002", "aws_ecs_task_definition.app", "resource/aws_ecs_task_definition/app/container_definitions",
     "\"[{\\\"name\\\":\\\"app\\\",\\\"logConfiguration\\\":{\\\"logDriver\\\":\\\"awslogs\\\"}}]\"", NULL,
     NULL},
    {"PCI-ECS-003", "aws_ecs_task_definition.app", "resource/aws_ecs_task_definition/app/container_definitions",
     CONTAINER(",\\\"environment\\\":[{\\\"name\\\":\\\"DB_PASSWORD\\\",\\\"value\\\":\\\"hunter2\\\"}]"), NULL,
     NULL},
    {"PCI-ECS-004", "aws_ecs_task_definition.app", "resource/aws_ecs_task_definition/app/container_definitions",
     "\"[{\\\"name\\\":\\\"app\\\",\\\"readonlyRootFilesystem\\\":true}]\"", NULL, NULL},
    {"PCI-ECS-005", "aws_ecs_service.app", "resource/aws_ecs_service/app/network_configuration/assign_public_ip",
     "true", NULL, NULL},
    {"PCI-ECS-006", "aws_ecs_cluster.main", "resource/aws_ecs_cluster/main/setting/0/value", "\"disabled\"", NULL,
     NULL},
    {"PCI-SNS-001", "aws_sns_topic.alerts", "resource/aws_sns_topic/alerts/kms_master_key_id", "\"alias/aws/sns\"",
     NULL, NULL},
    {"PCI-DDB-001", "aws_dynamodb_table.lock", "resource/aws_dynamodb_table/lock/point_in_time_recovery/enabled",
     "false", NULL, NULL},
    {"PCI-DDB-002", "aws_dynamodb_table.lock", "resource/aws_dynamodb_table/lock/server_side_encryption/kms_key_arn",
     DEL, NULL, NULL},
    {"PCI-SM-001", "aws_secretsmanager_secret.db", "resource/aws_secretsmanager_secret/db/kms_key_id", DEL, NULL,
     NULL},
    {"PCI-ELB-005", "aws_lb.web", "resource/aws_wafv2_web_acl_association/web", DEL, NULL, NULL},
    {"PCI-WAF-001", "aws_wafv2_web_acl.web", "resource/aws_wafv2_web_acl_logging_configuration/web", DEL, NULL,
     NULL},
    {"PCI-WAF-001", "aws_wafv2_web_acl.web", "resource/aws_wafv2_web_acl_logging_configuration/web/resource_arn",
     "\"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/other/abc\"", NULL, NULL},
    {"PCI-CT-001", "aws_cloudtrail.main", "resource/aws_cloudtrail/main/enable_log_file_validation", "false",
     NULL, NULL},
    {"PCI-SEC-001", "aws_rds_cluster.main", "resource/aws_rds_cluster/main/master_password", "\"hunter2hunter2\"",
     NULL, NULL},
    {"PCI-TAG-001", "aws_vpc.main", "resource/aws_vpc/main/tags/Name", DEL, NULL, NULL},
    {"PCI-TAG-001", "provider.aws", "provider/aws/0/default_tags/0/tags/MigrationPhase", DEL, NULL, NULL},
    /* the flow log references the VPC, which now waits for the flow log */
    {"PG-DEPLOY-001", "aws_flow_log.main", "resource/aws_vpc/main/depends_on", "[\"aws_flow_log.main\"]", NULL,
     NULL},
    {"PG-DEPLOY-002", "aws_lambda_function.reporter", "resource/aws_lambda_function/reporter/s3_key",
     "\"functions/other.zip\"", NULL, NULL},
    {"PG-DEPLOY-002", "aws_lambda_function.reporter", "resource/aws_lambda_function/reporter/s3_bucket",
     "\"payment-artifacts\"", NULL, NULL},
    {"PG-DEPLOY-002", "aws_lambda_function.reporter", "resource/aws_lambda_function/reporter/filename",
     "\"reporter.zip\"", "resource/aws_lambda_function/reporter/s3_bucket", DEL},
    {"PG-DEPLOY-003", "data.aws_iam_policy_document.task", "resource/aws_iam_policy", DEL, NULL, NULL},
    {"PG-DEPLOY-004", "aws_guardduty_detector.main", "resource/aws_guardduty_detector",
     "{\"main\":{\"enable\":true,\"tags\":{\"Name\":\"payment-gd-test-abc123\"}}}", NULL, NULL},
    /* a cross-region secondary of the global cluster has no writer */
    {"PG-DEPLOY-005", "aws_cloudwatch_metric_alarm.writer_cpu", "resource/aws_rds_cluster/main/source_region",
     "\"us-west-2\"", NULL, NULL},
    {"PG-DEPLOY-005", "aws_cloudwatch_metric_alarm.writer_cpu",
     "resource/aws_cloudwatch_metric_alarm/writer_cpu/provider", "\"aws.use2\"", NULL, NULL},
    {"PG-DEPLOY-006", "aws_route.internet", "resource/aws_route_table_association/public_a/subnet_id",
     "\"${aws_subnet.app_a.id}\"", NULL, NULL},
    {"PG-DEPLOY-006", "aws_internet_gateway.main", "resource/aws_subnet/public_a", DEL,
     "resource/aws_route_table_association/public_a", DEL},
    {"PG-DEPLOY-007", "aws_vpc_security_group_ingress_rule.app", "resource/aws_security_group/alb/provider",
     "\"aws.use2\"", NULL, NULL},
};

static void test_each_violation_is_reported(void)
{
    for (size_t i = 0; i < sizeof violations / sizeof *violations; i++) {
        const violation *v = &violations[i];
        cJSON *doc = load_pass();
        mutate(doc, v->path, v->value);
        if (v->path2)
            mutate(doc, v->path2, v->value2);
        pg_findings fs = {0};
        size_t n = run_check(doc, -1, &fs);
        bool ok = n == 1 && fs.count == 1 && !strcmp(fs.items[0].rule->id, v->rule) &&
                  !strcmp(fs.items[0].address, v->address) && !strcmp(fs.items[0].stack, "payment");
        if (!ok) {
            fprintf(stderr, "\nexpected exactly %s on %s after %s:\n", v->rule, v->address, v->path);
            dump(&fs);
        }
        CU_ASSERT_TRUE(ok);
        pg_findings_free(&fs);
        cJSON_Delete(doc);
    }
}

/* Every rule of the table has at least one violating case above. */
static void test_every_rule_has_a_violation_case(void)
{
    size_t n;
    const pg_rule *rules = pg_check_rules(&n);
    CU_ASSERT_TRUE(n >= 30);
    for (size_t r = 0; r < n; r++) {
        bool covered = false;
        for (size_t i = 0; i < sizeof violations / sizeof *violations; i++)
            covered |= !strcmp(violations[i].rule, rules[r].id);
        if (!covered)
            fprintf(stderr, "\nno violating case for %s\n", rules[r].id);
        CU_ASSERT_TRUE(covered);
        CU_ASSERT_PTR_NOT_NULL(rules[r].pci);
        CU_ASSERT_PTR_NOT_NULL(rules[r].title);
    }
}

static void test_protection_off_skips_deletion_protection(void)
{
    cJSON *doc = load_pass();
    mutate(doc, "resource/aws_rds_cluster/main/deletion_protection", "false");
    pg_findings fs = {0};
    CU_ASSERT_EQUAL(run_check(doc, 0, &fs), 0);
    CU_ASSERT_EQUAL(run_check(doc, 1, &fs), 1);
    pg_findings_free(&fs);
    cJSON_Delete(doc);
}

static void test_tagged_log_bucket_may_use_sse_s3(void)
{
    cJSON *doc = load_pass();
    mutate(doc, "resource/aws_lb/web/access_logs/bucket", "\"${aws_s3_bucket.audit.id}\"");
    mutate(doc, "resource/aws_s3_bucket/alb_logs/tags/Purpose", "\"elb-access-logs\"");
    pg_findings fs = {0};
    CU_ASSERT_EQUAL(run_check(doc, 1, &fs), 0);
    dump(&fs);
    pg_findings_free(&fs);
    cJSON_Delete(doc);
}

static void test_not_applicable_without_resources(void)
{
    cJSON *doc = cJSON_Parse("{\"resource\":{\"aws_sns_topic\":{\"t\":{\"kms_master_key_id\":\"${aws_kms_key.k.arn}\"}}}}");
    size_t n;
    const pg_rule *rules = pg_check_rules(&n);
    bool *applies = calloc(n, sizeof *applies);
    pg_findings fs = {0};
    CU_ASSERT_EQUAL(pg_check_stack(doc, "s", NULL, 1, &fs, applies), 0);
    for (size_t i = 0; i < n; i++) /* and those that look at every resource */
        CU_ASSERT_EQUAL(applies[i], !strcmp(rules[i].id, "PCI-SNS-001") || !strcmp(rules[i].types, "*"));
    free(applies);
    cJSON_Delete(doc);
}

static void test_sarif_output(void)
{
    cJSON *doc = load_pass();
    mutate(doc, "resource/aws_kms_key/data/enable_key_rotation", "false");
    pg_findings fs = {0};
    run_check(doc, 1, &fs);
    cJSON *log = pg_check_sarif(&fs);
    char *text = cJSON_PrintUnformatted(log);
    cJSON *back = cJSON_Parse(text); /* what a SARIF consumer reads */
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    CU_ASSERT_STRING_EQUAL(th_str(back, "version"), "2.1.0");
    const cJSON *rules = th_path(back, "runs.0.tool.driver.rules");
    size_t n;
    const pg_rule *table = pg_check_rules(&n);
    CU_ASSERT_EQUAL((size_t)cJSON_GetArraySize(rules), n);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_STRING_EQUAL(th_str(cJSON_GetArrayItem(rules, (int)i), "id"), table[i].id);
    const cJSON *s3 = cJSON_GetArrayItem(rules, 0);
    CU_ASSERT_STRING_EQUAL(th_str(s3, "properties.security-hub.0"), "S3.8");
    CU_ASSERT_STRING_EQUAL(th_str(s3, "properties.pci-dss.1"), "1.4.4");
    CU_ASSERT_STRING_EQUAL(th_str(s3, "properties.tags.0"), "PCI DSS 1.3.1");
    const cJSON *res = th_path(back, "runs.0.results");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(res), 1);
    CU_ASSERT_STRING_EQUAL(th_str(res, "0.ruleId"), "PCI-KMS-001");
    CU_ASSERT_STRING_EQUAL(th_str(res, "0.level"), "warning");
    CU_ASSERT_STRING_EQUAL(th_str(res, "0.locations.0.logicalLocations.0.fullyQualifiedName"),
                           "payment/aws_kms_key.data");
    CU_ASSERT_STRING_EQUAL(th_str(res, "0.locations.0.physicalLocation.artifactLocation.uri"), "pass.json");
    cJSON_Delete(back);
    cJSON_free(text);
    cJSON_Delete(log);
    pg_findings_free(&fs);
    cJSON_Delete(doc);
}

/* The generated configuration of a whole profile meets every guardrail,
 * the deployability rules included. */
static void test_generated_profiles_pass(void)
{
    static const char *const profiles[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                                           "profiles/production.yaml"};
    for (size_t p = 0; p < 3; p++) {
        th_run *r = th_generate(profiles[p], NULL);
        TH_ASSERT_OK(r);
        pg_findings fs = {0};
        for (size_t s = 0; s < PG_STACK_COUNT; s++)
            pg_check_stack(r->g.out.stacks[s], pg_stack_names[s], NULL, r->g.ctx.protect, &fs, NULL);
        if (fs.count)
            fprintf(stderr, "\n%s:\n", profiles[p]);
        dump(&fs);
        CU_ASSERT_EQUAL(fs.count, 0);
        pg_findings_free(&fs);
        th_free(r);
    }
}

/* docs/check.md holds the rule table exactly as --list-rules prints it. */
static void test_doc_table_matches_rules(void)
{
    pg_errors err = {0};
    char *doc = pg_read_text(th_source("docs/check.md"), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    char *begin = strstr(doc, "<!-- rules:begin -->\n"), *end = strstr(doc, "<!-- rules:end -->");
    CU_ASSERT_PTR_NOT_NULL_FATAL(begin);
    CU_ASSERT_PTR_NOT_NULL_FATAL(end);
    begin += strlen("<!-- rules:begin -->\n");
    char *table = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&table, &len);
    pg_check_print_rules(f, true);
    fclose(f);
    bool same = (size_t)(end - begin) == len && !strncmp(begin, table, len);
    if (!same)
        fprintf(stderr, "\ndocs/check.md is stale: regenerate with paygen check --list-rules --format markdown\n");
    CU_ASSERT_TRUE(same);
    free(table);
    free(doc);
}

/* The command: text lines, exit 1 on a violation, 0 when clean, SARIF. */
static void test_command(void)
{
    char cmd[8192], out[4096];
    const char *bin = getenv("PAYGEN_BINARY_DIR");
    const char *scratch = th_scratch("check-cli");
    snprintf(cmd, sizeof cmd, "'%s/paygen' check '%s' > '%s/out.txt' 2>/dev/null", bin ? bin : ".",
             th_source("tests/data/check/violations.json"), scratch);
    int rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    snprintf(out, sizeof out, "%s/out.txt", scratch);
    pg_errors err = {0};
    char *text = pg_read_text(out, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text,
                           "PCI-KMS-001 medium check/aws_kms_key.k: enable_key_rotation is not true "
                           "[PCI DSS 3.7.4; Security Hub KMS.4]\n"
                           "PCI-KMS-002 high check/aws_kms_key.k: no key policy (the default policy gives the "
                           "whole account access) [PCI DSS 3.7.5]\n"
                           "PCI-EC2-004 medium check/aws_ec2_transit_gateway.tgw: auto_accept_shared_attachments "
                           "is enable, not disable [PCI DSS 1.2.1; Security Hub EC2.23]\n"
                           "PCI-SNS-001 medium check/aws_sns_topic.alerts: kms_master_key_id does not name a "
                           "customer managed key [PCI DSS 3.5.1; Security Hub SNS.1]\n");
    free(text);
    snprintf(cmd, sizeof cmd, "'%s/paygen' check --format sarif '%s' > '%s/out.sarif'", bin ? bin : ".",
             th_source("tests/data/check/pass.json"), scratch);
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    snprintf(out, sizeof out, "%s/out.sarif", scratch);
    text = pg_read_text(out, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *log = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL(log);
    CU_ASSERT_STRING_EQUAL(th_str(log, "runs.0.tool.driver.rules.0.id"), "PCI-S3-001");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(log, "runs.0.results")), 0);
    cJSON_Delete(log);
    free(text);
    snprintf(cmd, sizeof cmd, "'%s/paygen' check --format yaml x 2>/dev/null", bin ? bin : ".");
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    pg_errors_free(&err);
}

/* A waiver from a reviewed source keeps the finding visible but stops it
 * failing; the waivers manifest.json lists waive nothing (tests/unit/
 * test_waivers.c reads waivers in detail). */
static void test_waivers(void)
{
    cJSON *doc = cJSON_Parse("{\"resource\":{\"aws_kms_key\":{\"k\":{\"enable_key_rotation\":false,"
                             "\"policy\":\"{}\"}}}}");
    pg_findings fs = {0};
    size_t found = pg_check_stack(doc, "payment", NULL, 1, &fs, NULL);
    CU_ASSERT_EQUAL_FATAL(found, 1);
    CU_ASSERT_STRING_EQUAL(fs.items[0].rule->id, "PCI-KMS-001");
    pg_waiver_policy pol = {.today = "2026-06-01"};
    pg_waivers waivers = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_waivers_add_text(&waivers, "PCI-S3-001: a | 2027-01-01 | unrelated", "p.yaml", 3, 3, 1, &pol,
                                        &err),
                    0);
    CU_ASSERT_EQUAL(pg_waivers_add_text(&waivers, "PCI-KMS-001: kms-team | 2027-01-01 | HSM-backed key, rotated "
                                        "by hand", "p.yaml", 3, 3, 2, &pol, &err),
                    0);
    CU_ASSERT_EQUAL(pg_check_waive(&fs, 0, &waivers), 0);
    CU_ASSERT_STRING_EQUAL(fs.items[0].waiver->reason, "HSM-backed key, rotated by hand");
    cJSON *sarif = pg_check_sarif(&fs);
    CU_ASSERT_STRING_EQUAL(th_str(sarif, "runs.0.results.0.suppressions.0.justification"),
                           "HSM-backed key, rotated by hand (owner: kms-team; expires: 2027-01-01)");
    cJSON_Delete(sarif);
    pg_findings_free(&fs);
    pg_waivers_free(&waivers);
    CU_ASSERT_EQUAL(pg_waivers_add_text(&waivers, "PCI-KMS-0011: a | 2027-01-01 | a longer id is another rule",
                                        "p.yaml", 3, 3, 1, &pol, &err),
                    -1);
    pg_check_stack(doc, "payment", NULL, 1, &fs, NULL);
    CU_ASSERT_EQUAL(pg_check_waive(&fs, 0, &waivers), 1);
    CU_ASSERT_PTR_NULL(fs.items[0].waiver);
    pg_findings_free(&fs);
    pg_waivers_free(&waivers);
    pg_errors_free(&err);
    cJSON_Delete(doc);

    /* through the command: the manifest's waivers, which anyone who can edit
     * the output could have written, change nothing */
    char cmd[8192];
    const char *bin = getenv("PAYGEN_BINARY_DIR");
    const char *dir = th_scratch("check-waiver");
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/stacks/check' && cp '%s' '%s/stacks/check/cdk.tf.json' && "
             "printf '%%s' '{\"profile\": {\"protection\": true, \"waivers\": [\"PCI-KMS-001: a\", "
             "\"PCI-KMS-002: b\", \"PCI-EC2-004: c\", \"PCI-SNS-001: d\"]}, \"stacks\": {\"check\": {}}}' "
             "> '%s/manifest.json'",
             dir, th_source("tests/data/check/violations.json"), dir, dir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s/paygen' check '%s' > '%s/out.txt' 2>&1", bin, dir, dir);
    int rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    snprintf(cmd, sizeof cmd, "grep -q 'manifest.json lists 4 waivers: ignored' '%s/out.txt' && "
             "grep -q 'PCI-KMS-001 medium check/aws_kms_key.k: ' '%s/out.txt' && "
             "grep -q '4 violations, 0 waived' '%s/out.txt'", dir, dir, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    /* the reviewed file waives all four: the check passes */
    snprintf(cmd, sizeof cmd, "'%s/paygen' check --waivers '%s' '%s' > '%s/out.txt' 2>&1", bin,
             th_source("tests/data/check/waivers/valid.yaml"), dir, dir);
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    snprintf(cmd, sizeof cmd, "grep -q '0 violations, 4 waived' '%s/out.txt' && "
             "grep -q 'PCI-KMS-001 waived check/aws_kms_key.k: .*(waiver: HSM-backed key, rotated by hand every "
             "90 days; owner platform-team, expires 2999-12-31, ' '%s/out.txt'", dir, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"compliant document passes", test_compliant_document_passes},
        {"each violation is reported", test_each_violation_is_reported},
        {"every rule has a violation case", test_every_rule_has_a_violation_case},
        {"protection off skips deletion protection", test_protection_off_skips_deletion_protection},
        {"tagged log bucket may use SSE-S3", test_tagged_log_bucket_may_use_sse_s3},
        {"not applicable without resources", test_not_applicable_without_resources},
        {"SARIF output", test_sarif_output},
        {"waivers", test_waivers},
        {"generated profiles pass", test_generated_profiles_pass},
        {"docs/check.md table matches the rules", test_doc_table_matches_rules},
        {"command", test_command},
        CU_TEST_INFO_NULL,
    };
    return th_main("check", tests);
}
