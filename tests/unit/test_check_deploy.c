/* SPDX-License-Identifier: Apache-2.0 */
/* paygen check, the deployability rules (PG-DEPLOY-*): each hand-written
 * stack under tests/data/check/deploy/ violates one rule in the ways it
 * knows, next to the shapes it must accept; the variants show what makes a
 * finding go away. The shipped outputs are checked in test_check.c and, from
 * the files paygen writes, below. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "harness.h"

static cJSON *load(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/check/deploy/%s", name);
    pg_errors err = {0};
    char *text = pg_read_text(th_source(rel), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    return doc;
}

/* Checks doc and compares the findings of rule with want, a NULL-ended list
 * of "ADDRESS" or "ADDRESS: message", in order. */
static void expect(const cJSON *doc, const char *file, const char *rule, const char *const *want)
{
    pg_findings fs = {0};
    pg_check_stack(doc, "payment", file, 1, &fs, NULL);
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < fs.count; i++) {
        const pg_finding *x = &fs.items[i];
        if (strcmp(x->rule->id, rule))
            continue;
        const char *w = want[k];
        size_t alen = strlen(x->address);
        bool same = w && !strncmp(w, x->address, alen) &&
                    (!w[alen] || (!strncmp(w + alen, ": ", 2) && !strcmp(w + alen + 2, x->message)));
        if (!same) {
            fprintf(stderr, "\n%s: got %s: %s, expected %s\n", rule, x->address, x->message, w ? w : "nothing");
            ok = false;
        }
        if (w)
            k++;
    }
    if (want[k]) {
        fprintf(stderr, "\n%s: expected %s, not found\n", rule, want[k]);
        ok = false;
    }
    CU_ASSERT_TRUE(ok);
    pg_findings_free(&fs);
}

static void set(cJSON *parent, const char *key, const char *json)
{
    cJSON *v = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    if (cJSON_GetObjectItemCaseSensitive(parent, key))
        cJSON_ReplaceItemInObjectCaseSensitive(parent, key, v);
    else
        cJSON_AddItemToObject(parent, key, v);
}

static cJSON *res(cJSON *doc, const char *type)
{
    cJSON *t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "resource"), type);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

static void test_cycle(void)
{
    cJSON *doc = load("cycle.json");
    static const char *const want[] = {
        "aws_iam_policy.b: dependency cycle: aws_iam_policy.b references local.role_name, which references "
        "aws_iam_role.a, which references aws_iam_policy.b; Terraform cannot order them",
        "aws_s3_bucket.p: dependency cycle: aws_s3_bucket.p depends on aws_s3_bucket.q, which references "
        "aws_s3_bucket.p; Terraform cannot order them",
        "aws_s3_bucket.self: dependency cycle: aws_s3_bucket.self references aws_s3_bucket.self; Terraform "
        "cannot order them",
        "aws_sns_topic.c: dependency cycle: aws_sns_topic.c depends on aws_sqs_queue.d, which references "
        "aws_sns_topic.c; Terraform cannot order them",
        NULL};
    expect(doc, NULL, "PG-DEPLOY-001", want);
    /* break two of them: a literal name, and no depends_on */
    set(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_iam_policy"), "b"), "name", "\"b\"");
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_sns_topic"), "c"),
                                            "depends_on");
    static const char *const left[] = {"aws_s3_bucket.p", "aws_s3_bucket.self", NULL};
    expect(doc, NULL, "PG-DEPLOY-001", left);
    cJSON_Delete(doc);
}

/* Terraform sees the same cycles: terraform validate of cycle.json (where
 * terraform and the provider mirror are installed, as for
 * tests/integration/terraform-validate.sh) names each of them. */
static void test_cycles_agree_with_terraform(void)
{
    const char *mirror = getenv("PAYGEN_TF_PLUGIN_DIR") ? getenv("PAYGEN_TF_PLUGIN_DIR") : "/opt/tf-plugins";
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "command -v terraform >/dev/null 2>&1 && test -d '%s/registry.terraform.io/hashicorp/aws'", mirror);
    if (system(cmd) != 0) {
        fprintf(stderr, "(skipped: no terraform or no provider mirror) ");
        return;
    }
    const char *dir = th_scratch("check-deploy-terraform");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cp '%s' main.tf.json && "
             "printf '{\"provider\":{\"aws\":{\"region\":\"us-east-1\"}}}' > provider.tf.json && "
             "TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 "
             "terraform init -backend=false -plugin-dir='%s' > init.log 2>&1 && "
             "! TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 terraform validate -no-color > validate.log 2>&1 && "
             /* Terraform lists a cycle's members in no fixed order */
             "grep 'Cycle: ' validate.log | grep 'aws_s3_bucket.q' | grep -q 'aws_s3_bucket.p' && "
             "grep 'Cycle: ' validate.log | grep 'aws_sqs_queue.d' | grep -q 'aws_sns_topic.c' && "
             "grep 'Cycle: ' validate.log | grep 'aws_iam_policy.b' | grep 'aws_iam_role.a' | "
             "grep -q 'local.role_name' && "
             "test \"$(grep -c 'Error: Cycle' validate.log)\" = 3",
             dir, th_source("tests/data/check/deploy/cycle.json"), mirror);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "\nterraform disagrees: see %s/validate.log\n", dir);
    CU_ASSERT_EQUAL(rc, 0);
}

static void test_packages(void)
{
    cJSON *doc = load("packages.json");
    /* read from a stack directory: the zips beside the document count */
    const char *dir = th_scratch("check-deploy-packages");
    char path[4096];
    snprintf(path, sizeof path, "%s/functions", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/functions/zipped.zip", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("PK\005\006", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/cdk.tf.json", dir);
    static const char *const want[] = {
        "aws_lambda_function.missing: filename names functions/missing.zip, which is not in the stack directory",
        "aws_lambda_function.elsewhere: filename /tmp/build/elsewhere.zip is not a package the output writes "
        "(${path.module}/functions/NAME.zip)",
        "aws_lambda_function.unmade_key: s3_key migration/phase-reporter.zip is not an object this output puts "
        "in the bucket",
        "aws_lambda_function.nothing: no package: neither filename, s3_bucket nor image_uri",
        "aws_lambda_function.foreign: s3_bucket payment-artifacts-prod is a bucket this output does not create",
        "aws_lambda_function.by_name: s3_bucket names bucket payment-artifacts-test by a literal: reference its "
        "aws_s3_bucket so that Terraform creates it first",
        "aws_lambda_layer_version.deps: s3_bucket ${var.layer_bucket} is not a bucket this output creates",
        NULL};
    expect(doc, path, "PG-DEPLOY-002", want);
    /* from memory (a generation's own check) only the form of filename counts */
    static const char *const unread[] = {"aws_lambda_function.elsewhere", "aws_lambda_function.unmade_key",
                                         "aws_lambda_function.nothing",   "aws_lambda_function.foreign",
                                         "aws_lambda_function.by_name",   "aws_lambda_layer_version.deps",
                                         NULL};
    expect(doc, NULL, "PG-DEPLOY-002", unread);
    /* any other bucket argument: an SSM association's output bucket; a trail
     * may name its bucket through the bucket's policy */
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"resource\":{\"aws_ssm_association\":{\"patch\":{\"name\":\"AWS-RunPatchBaseline\","
                      "\"output_location\":{\"s3_bucket_name\":\"ops-logs\"}}},"
                      "\"aws_s3_bucket\":{\"trail\":{\"bucket\":\"trail\"}},"
                      "\"aws_s3_bucket_policy\":{\"trail\":{\"bucket\":\"${aws_s3_bucket.trail.id}\"}},"
                      "\"aws_cloudtrail\":{\"main\":{\"s3_bucket_name\":\"${aws_s3_bucket_policy.trail.bucket}\"},"
                      "\"other\":{\"s3_bucket_name\":\"${aws_s3_bucket_policy.elsewhere.bucket}\"}}}}");
    static const char *const other[] = {"aws_ssm_association.patch: s3_bucket_name ops-logs is a bucket this "
                                        "output does not create",
                                        "aws_cloudtrail.other: s3_bucket_name ${aws_s3_bucket_policy.elsewhere.bucket} "
                                        "is not a bucket this output creates",
                                        NULL};
    expect(doc, NULL, "PG-DEPLOY-002", other);
    cJSON_Delete(doc);
}

static void test_unused_data(void)
{
    cJSON *doc = load("unused-data.json");
    static const char *const want[] = {
        "data.terraform_remote_state.legacy: read but referenced nowhere in the stack: remove it or use it",
        "data.aws_iam_policy_document.only_self", NULL};
    expect(doc, NULL, "PG-DEPLOY-003", want);
    /* a reference from anywhere (here a resource) feeds it */
    set(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_sns_topic"), "t"), "display_name",
        "\"${data.terraform_remote_state.legacy.outputs.name}\"");
    static const char *const left[] = {"data.aws_iam_policy_document.only_self", NULL};
    expect(doc, NULL, "PG-DEPLOY-003", left);
    cJSON_Delete(doc);
}

static void test_singletons(void)
{
    cJSON *doc = load("singletons.json");
    static const char *const want[] = {
        "aws_ecr_replication_configuration.images: the registry's replication configuration (one per account "
        "and region) is account-wide: a per-environment stack would share it with every other environment in "
        "the account (the last apply wins, a destroy removes it for all)",
        "aws_iam_account_password_policy.strict", "aws_guardduty_detector.main", NULL};
    expect(doc, NULL, "PG-DEPLOY-004", want);
    cJSON_Delete(doc);
}

static void test_alarms(void)
{
    cJSON *doc = load("alarms.json");
    static const char *const want[] = {
        "aws_cloudwatch_metric_alarm.secondary_writer: Role=WRITER on aws_rds_cluster.secondary, a secondary of "
        "a global database, which has no writer",
        "aws_cloudwatch_metric_alarm.wrong_region: watches aws_rds_cluster.secondary (provider aws.use2) from "
        "provider aws: CloudWatch metrics stay in their region",
        NULL};
    expect(doc, NULL, "PG-DEPLOY-005", want);
    /* without the global cluster's source, source_region marks the secondary */
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_rds_global_cluster"),
                                                                             "main"),
                                            "source_db_cluster_identifier");
    static const char *const primary[] = {"aws_cloudwatch_metric_alarm.wrong_region", NULL};
    expect(doc, NULL, "PG-DEPLOY-005", primary);
    set(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_rds_cluster"), "secondary"), "source_region",
        "\"us-east-1\"");
    expect(doc, NULL, "PG-DEPLOY-005", want);
    cJSON_Delete(doc);
}

static void test_private_routes(void)
{
    cJSON *doc = load("routes.json");
    static const char *const want[] = {
        "aws_route.app: routes to aws_internet_gateway.main from the private subnet aws_subnet.app",
        "aws_route.app: routes to aws_internet_gateway.main from the private subnet aws_subnet.data_b (through the "
        "main route table)",
        "aws_route_table.cards: routes to aws_internet_gateway.main from the private subnet aws_subnet.cards",
        "aws_default_route_table.legacy: routes to aws_internet_gateway.legacy from the private subnet "
        "aws_subnet.legacy_db (through the main route table)",
        "aws_internet_gateway.closed: every subnet of aws_vpc.closed is private", NULL};
    expect(doc, NULL, "PG-DEPLOY-006", want);
    /* a public subnet in the closed VPC gives its gateway a use */
    set(res(doc, "aws_subnet"), "public_b", "{\"vpc_id\":\"${aws_vpc.closed.id}\",\"cidr_block\":\"10.1.2.0/24\"}");
    static const char *const left[] = {"aws_route.app", "aws_route.app", "aws_route_table.cards",
                                       "aws_default_route_table.legacy", NULL};
    expect(doc, NULL, "PG-DEPLOY-006", left);
    cJSON_Delete(doc);
}

static void test_sg_references(void)
{
    cJSON *doc = load("sg-references.json");
    static const char *const want[] = {
        "aws_vpc_security_group_ingress_rule.db_from_app: aws_security_group.db (aws_vpc.db) references "
        "aws_security_group.app of aws_vpc.app, which no peering or referencing transit gateway connects",
        "aws_vpc_security_group_ingress_rule.far_from_app: aws_security_group.far (provider aws.use2) references "
        "aws_security_group.app of another region (provider aws)",
        "aws_vpc_security_group_egress_rule.app_to_db", "aws_security_group_rule.db_from_app",
        "aws_security_group.db", NULL};
    expect(doc, NULL, "PG-DEPLOY-007", want);
    /* a transit gateway with referencing left at its default (disable) connects nothing */
    cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "resource");
    set(r, "aws_ec2_transit_gateway", "{\"hub\":{}}");
    set(r, "aws_ec2_transit_gateway_vpc_attachment",
        "{\"app\":{\"transit_gateway_id\":\"${aws_ec2_transit_gateway.hub.id}\",\"vpc_id\":\"${aws_vpc.app.id}\"},"
        "\"db\":{\"transit_gateway_id\":\"${aws_ec2_transit_gateway.hub.id}\",\"vpc_id\":\"${aws_vpc.db.id}\"}}");
    expect(doc, NULL, "PG-DEPLOY-007", want);
    /* on at the gateway, the attachments' default (enable) connects app and db */
    set(r, "aws_ec2_transit_gateway", "{\"hub\":{\"security_group_referencing_support\":\"enable\"}}");
    static const char *const connected[] = {"aws_vpc_security_group_ingress_rule.far_from_app", NULL};
    expect(doc, NULL, "PG-DEPLOY-007", connected);
    /* off on one attachment: not connected */
    set(cJSON_GetObjectItemCaseSensitive(res(doc, "aws_ec2_transit_gateway_vpc_attachment"), "db"),
        "security_group_referencing_support", "\"disable\"");
    expect(doc, NULL, "PG-DEPLOY-007", want);
    cJSON_Delete(doc);
}

/* What paygen writes for every shipped profile, checked from its files (the
 * function zips beside the documents): no finding at all. */
static void test_shipped_outputs(void)
{
    static const char *const profiles[] = {"legacy", "migration", "production", "examples/staging-rehearsal",
                                           "examples/from-rds-postgresql", "examples/from-rds-postgresql-dms"};
    const char *bin = getenv("PAYGEN_BINARY_DIR");
    const char *dir = th_scratch("check-deploy-shipped");
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        char cmd[8192];
        snprintf(cmd, sizeof cmd,
                 "'%s/paygen' generate -q --profile '%s/profiles/%s.yaml' -o '%s/out%zu' || exit 1; "
                 "'%s/paygen' check '%s/out%zu' > '%s/check%zu.txt' 2>&1",
                 bin ? bin : ".", th_source(""), profiles[i], dir, i, bin ? bin : ".", dir, i, dir, i);
        int rc = system(cmd);
        if (!(WIFEXITED(rc) && WEXITSTATUS(rc) == 0))
            fprintf(stderr, "\nprofiles/%s.yaml: see %s/check%zu.txt\n", profiles[i], dir, i);
        CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    }
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"PG-DEPLOY-001 dependency cycles", test_cycle},
        {"PG-DEPLOY-001 cycles agree with terraform", test_cycles_agree_with_terraform},
        {"PG-DEPLOY-002 packages and buckets", test_packages},
        {"PG-DEPLOY-003 data read for nothing", test_unused_data},
        {"PG-DEPLOY-004 account-wide singletons", test_singletons},
        {"PG-DEPLOY-005 alarms without data", test_alarms},
        {"PG-DEPLOY-006 internet routes from private subnets", test_private_routes},
        {"PG-DEPLOY-007 security group references across VPCs", test_sg_references},
        {"shipped outputs", test_shipped_outputs},
        CU_TEST_INFO_NULL,
    };
    return th_main("check_deploy", tests);
}
