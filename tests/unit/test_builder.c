/* SPDX-License-Identifier: Apache-2.0 */
/* The block builder of ABI 2.0 (core/engine/builder.c): nested blocks append to
 * arrays, maps merge, lifecycle settings merge, a scalar set twice is an
 * error naming block and key, PG_IF skips, depends_on collects addresses,
 * and taggable resources get a Name tag. In-process plugins on the core-only
 * profile (staging, suffix xyz789, us-east-1 and us-east-2). */
#include <string.h>

#include "harness.h"

static const char *const protect_on[] = {"protection=true", NULL};

/* Runs one in-process plugin; the caller frees. */
static th_run *run_one(const pg_plugin *vt, const char *const *sets)
{
    return th_core_only(sets, &vt, 1);
}

/* The same for a run that must succeed (its errors printed when it does not). */
static th_run *run_ok(const pg_plugin *vt, const char *const *sets)
{
    th_run *r = run_one(vt, sets);
    TH_ASSERT_OK(r);
    return r;
}

static const cJSON *payment(const th_run *r, const char *type, const char *label)
{
    return th_resource(r, "payment", type, label);
}

/* ------------------------------------------------------------ nested blocks */

static int nested_blocks(const pg_ctx *ctx, pg_out *out)
{
    cJSON *lc = pg_resource(out, pg_ctx_primary(ctx), "aws_s3_bucket_lifecycle_configuration", "logs",
                            PG_STR("bucket", "logs-bucket"),
                            PG_BLOCK("rule",
                                     PG_STR("id", "expire"),
                                     PG_STR("status", "Enabled"),
                                     PG_BLOCK("expiration", PG_INT("days", 400))),
                            PG_BLOCK("rule",
                                     PG_STR("id", "abort"),
                                     PG_STR("status", "Enabled"),
                                     PG_BLOCK("abort_incomplete_multipart_upload",
                                              PG_INT("days_after_initiation", 7))));
    /* pg_block() appends one more and returns it, to be filled later. */
    cJSON *rule = pg_block(out, lc, "rule", PG_STR("id", "archive"));
    pg_set(out, rule, PG_STR("status", "Disabled"),
           PG_BLOCK("transition", PG_INT("days", 30), PG_STR("storage_class", "GLACIER")));
    pg_block(out, rule, "transition", PG_INT("days", 90), PG_STR("storage_class", "DEEP_ARCHIVE"));
    pg_block(out, rule, "filter");
    return 0;
}
TH_PLUGIN(plugin_nested, "nested", NULL, NULL, NULL, 0, nested_blocks);

static void test_blocks_append_to_arrays(void)
{
    th_run *r = run_ok(&plugin_nested, NULL);
    const cJSON *lc = payment(r, "aws_s3_bucket_lifecycle_configuration", "logs_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lc);
    CU_ASSERT_TRUE(cJSON_IsArray(th_path(lc, "rule")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(lc, "rule")), 3);
    TH_ASSERT_STR(lc, "rule.0.id", "expire");
    CU_ASSERT_TRUE(cJSON_IsArray(th_path(lc, "rule.0.expiration")));
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.expiration.0.days"), 400);
    TH_ASSERT_STR(lc, "rule.1.id", "abort");
    CU_ASSERT_EQUAL(th_num(lc, "rule.1.abort_incomplete_multipart_upload.0.days_after_initiation"), 7);
    TH_ASSERT_STR(lc, "rule.2.id", "archive");
    TH_ASSERT_STR(lc, "rule.2.status", "Disabled");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(lc, "rule.2.transition")), 2);
    CU_ASSERT_EQUAL(th_num(lc, "rule.2.transition.0.days"), 30);
    TH_ASSERT_STR(lc, "rule.2.transition.1.storage_class", "DEEP_ARCHIVE");
    /* an empty block is still a block: [{}] */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(lc, "rule.2.filter")), 1);
    CU_ASSERT_TRUE(cJSON_IsObject(th_path(lc, "rule.2.filter.0")));
    CU_ASSERT_PTR_NULL(th_path(lc, "rule.2.filter.0")->child);
    th_free(r);
}

/* --------------------------------------------------------------------- maps */

static int merged_maps(const pg_ctx *ctx, pg_out *out)
{
    cJSON *q = pg_resource(out, pg_ctx_primary(ctx), "aws_sqs_queue", "events",
                           PG_MAP("tags", PG_STR("Purpose", "audit")),
                           PG_INT("message_retention_seconds", 1209600),
                           PG_MAP("tags", PG_STR("Tier", "data")));
    pg_set(out, q, PG_MAP("tags", PG_STR("DataClass", "pci")));
    return 0;
}
TH_PLUGIN(plugin_maps, "maps", NULL, NULL, NULL, 0, merged_maps);

static void test_maps_merge(void)
{
    th_run *r = run_ok(&plugin_maps, NULL);
    const cJSON *q = payment(r, "aws_sqs_queue", "events_use1");
    CU_ASSERT_TRUE(cJSON_IsObject(th_path(q, "tags")));
    TH_ASSERT_STR(q, "tags.Purpose", "audit");
    TH_ASSERT_STR(q, "tags.Tier", "data");
    TH_ASSERT_STR(q, "tags.DataClass", "pci");
    /* and the core's Name, from the label */
    TH_ASSERT_STR(q, "tags.Name", "payment-events-use1-staging-xyz789");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(q, "tags")), 4);
    CU_ASSERT_EQUAL(th_num(q, "message_retention_seconds"), 1209600);
    th_free(r);
}

/* --------------------------------------------------------- scalars set twice */

static int set_twice(const pg_ctx *ctx, pg_out *out)
{
    cJSON *b = pg_resource(out, pg_ctx_primary(ctx), "aws_s3_bucket", "archive",
                           PG_STR("bucket", "first"),
                           PG_MAP("tags", PG_STR("Purpose", "archive"), PG_STR("Purpose", "other")));
    pg_set(out, b, PG_STR("bucket", "second"), PG_BOOL("force_destroy", false));
    pg_set(out, b, PG_BLOCK("bucket"));
    cJSON *doc = pg_data(out, NULL, "aws_iam_policy_document", "archive",
                         PG_STR("version", "2012-10-17"),
                         PG_INT("version", 2008));
    (void)doc;
    return 0;
}
TH_PLUGIN(plugin_twice, "twice", NULL, NULL, NULL, 0, set_twice);

static void test_scalar_set_twice_names_block_and_key(void)
{
    th_run *r = run_one(&plugin_twice, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "plugin twice: aws_s3_bucket.archive_use1: sets 'bucket' twice");
    TH_ASSERT_ERROR(r, "plugin twice: aws_s3_bucket.archive_use1: sets 'Purpose' twice");
    TH_ASSERT_ERROR(r, "plugin twice: aws_s3_bucket.archive_use1: 'bucket' is already set to a "
                       "value of another shape");
    TH_ASSERT_ERROR(r, "plugin twice: data.aws_iam_policy_document.archive: sets 'version' twice");
    /* the first value stays, and the rest of the list still applies */
    const cJSON *b = payment(r, "aws_s3_bucket", "archive_use1");
    TH_ASSERT_STR(b, "bucket", "first");
    TH_ASSERT_STR(b, "tags.Purpose", "archive");
    CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);
    TH_ASSERT_STR(th_data(r, "payment", "aws_iam_policy_document", "archive"), "version", "2012-10-17");
    th_free(r);
}

/* --------------------------------------------------------------------- PG_IF */

static int conditional(const pg_ctx *ctx, pg_out *out)
{
    bool locked = false, versioned = true;
    pg_resource(out, pg_ctx_primary(ctx), "aws_s3_bucket", "vault",
                PG_IF(locked, PG_BOOL("object_lock_enabled", true)),
                PG_IF(versioned, PG_STR("bucket", "vault")),
                PG_IF(locked, PG_BLOCK("object_lock_configuration",
                                       PG_STR("object_lock_enabled", "Enabled"),
                                       PG_BLOCK("rule", PG_BLOCK("default_retention",
                                                                 PG_STR("mode", "COMPLIANCE"))))),
                PG_IF(locked, PG_STRS("acl_grants", "a", "b", "c")),
                PG_IF(locked, PG_MAP("tags", PG_STR("Locked", "yes"))),
                PG_IF(locked, PG_IGNORE_CHANGES("tags")),
                PG_IF(versioned, PG_MAP("tags", PG_STR("Versioned", "yes"))),
                PG_BOOL("force_destroy", false));
    return 0;
}
TH_PLUGIN(plugin_if, "conditional", NULL, NULL, NULL, 0, conditional);

static void test_if_skips_the_next_item_whole(void)
{
    th_run *r = run_ok(&plugin_if, NULL);
    const cJSON *b = payment(r, "aws_s3_bucket", "vault_use1");
    CU_ASSERT_PTR_NULL(th_path(b, "object_lock_enabled"));
    CU_ASSERT_PTR_NULL(th_path(b, "object_lock_configuration"));
    CU_ASSERT_PTR_NULL(th_path(b, "acl_grants"));
    CU_ASSERT_PTR_NULL(th_path(b, "tags.Locked"));
    CU_ASSERT_PTR_NULL(th_path(b, "lifecycle"));
    TH_ASSERT_STR(b, "bucket", "vault");
    TH_ASSERT_STR(b, "tags.Versioned", "yes");
    /* the items after skipped ones are read in step */
    CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);
    th_free(r);
}

/* ----------------------------------------------------------------- lifecycle */

static int lifecycles(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_primary(ctx);
    cJSON *svc = pg_resource(out, r, "aws_ecs_service", "api",
                             PG_STR("name", "api"),
                             PG_PROTECT,
                             PG_IGNORE_CHANGES("desired_count", "tags"),
                             PG_CREATE_BEFORE_DESTROY);
    pg_set(out, svc, PG_IGNORE_CHANGES("task_definition", "desired_count"), PG_PROTECT,
           PG_CREATE_BEFORE_DESTROY);
    pg_resource(out, r, "aws_kms_key", "only_protected", PG_PROTECT);
    pg_resource(out, r, "aws_kms_key", "ignoring", PG_PROTECT, PG_IGNORE_CHANGES("policy"));
    return 0;
}
TH_PLUGIN(plugin_lifecycle, "lifecycle", NULL, NULL, NULL, 0, lifecycles);

static void test_lifecycle_items_merge_into_one_object(void)
{
    th_run *r = run_ok(&plugin_lifecycle, protect_on);
    const cJSON *lc = th_path(payment(r, "aws_ecs_service", "api_use1"), "lifecycle");
    CU_ASSERT_TRUE_FATAL(cJSON_IsObject(lc));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(lc), 3);
    CU_ASSERT_EQUAL(th_bool(lc, "prevent_destroy"), 1);
    CU_ASSERT_EQUAL(th_bool(lc, "create_before_destroy"), 1);
    const cJSON *ignore = th_path(lc, "ignore_changes");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ignore), 3); /* desired_count once */
    TH_ASSERT_STR(ignore, "0", "desired_count");
    TH_ASSERT_STR(ignore, "1", "tags");
    TH_ASSERT_STR(ignore, "2", "task_definition");
    CU_ASSERT_EQUAL(th_bool(payment(r, "aws_kms_key", "only_protected_use1"), "lifecycle.prevent_destroy"), 1);
    th_free(r);

    /* protection: false (the profile's own value): PG_PROTECT adds nothing */
    r = run_ok(&plugin_lifecycle, NULL);
    lc = th_path(payment(r, "aws_ecs_service", "api_use1"), "lifecycle");
    CU_ASSERT_PTR_NULL(th_path(lc, "prevent_destroy"));
    CU_ASSERT_EQUAL(th_bool(lc, "create_before_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(payment(r, "aws_kms_key", "only_protected_use1"), "lifecycle"));
    lc = th_path(payment(r, "aws_kms_key", "ignoring_use1"), "lifecycle");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(lc), 1);
    TH_ASSERT_STR(lc, "ignore_changes.0", "policy");
    th_free(r);
}

/* ---------------------------------------------------------------- depends_on */

static int dependencies(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_region(ctx, 1);
    cJSON *a = pg_resource(out, r, "aws_sqs_queue", "a");
    cJSON *b = pg_resource(out, r, "aws_sqs_queue", "b");
    cJSON *c = pg_resource(out, r, "aws_sqs_queue", "c");
    cJSON *role = pg_resource(out, NULL, "aws_iam_role", "worker", PG_STR("assume_role_policy", "{}"));
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "alarms");
    cJSON *topic = pg_resource(out, r, "aws_sns_topic", "alarms", PG_DEPENDS_ON(a, b));
    pg_set(out, topic, PG_DEPENDS_ON(c, a), PG_DEPENDS_ON(role, doc));
    return 0;
}
TH_PLUGIN(plugin_depends, "depends", NULL, NULL, NULL, 0, dependencies);

static void test_depends_on_appends_addresses_once(void)
{
    th_run *r = run_ok(&plugin_depends, NULL);
    const cJSON *topic = payment(r, "aws_sns_topic", "alarms_use2");
    const cJSON *deps = th_path(topic, "depends_on");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 5);
    TH_ASSERT_STR(deps, "0", "aws_sqs_queue.a_use2");
    TH_ASSERT_STR(deps, "1", "aws_sqs_queue.b_use2");
    TH_ASSERT_STR(deps, "2", "aws_sqs_queue.c_use2");
    TH_ASSERT_STR(deps, "3", "aws_iam_role.worker");
    TH_ASSERT_STR(deps, "4", "data.aws_iam_policy_document.alarms_use2");
    /* outside the primary the provider meta-argument is set */
    TH_ASSERT_STR(topic, "provider", "aws.use2");
    CU_ASSERT_PTR_NULL(th_path(payment(r, "aws_iam_role", "worker"), "provider"));
    th_free(r);
}

/* ------------------------------------------------------------ malformed lists */

static int malformed(const pg_ctx *ctx, pg_out *out)
{
    /* "delay_seconds" where a PG_* item belongs: the list cannot be read on */
    cJSON *q = pg_resource(out, pg_ctx_primary(ctx), "aws_sqs_queue", "broken",
                           PG_STR("name", "ok"), "delay_seconds", PG_INT("max_message_size", 1024));
    /* PG_IF with nothing after it */
    pg_set(out, q, PG_I_IF, 1);
    return 0;
}
TH_PLUGIN(plugin_malformed, "malformed", NULL, NULL, NULL, 0, malformed);

static void test_malformed_item_list_is_an_error(void)
{
    th_run *r = run_one(&plugin_malformed, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "plugin malformed: aws_sqs_queue.broken_use1: malformed item list (a value "
                       "where a PG_* item was expected)");
    CU_ASSERT_EQUAL(r->err.count, 2); /* one per list */
    const cJSON *q = payment(r, "aws_sqs_queue", "broken_use1");
    TH_ASSERT_STR(q, "name", "ok");
    CU_ASSERT_PTR_NULL(th_path(q, "max_message_size"));
    th_free(r);
}

/* ---------------------------------------------------------------- Name tags */

static int names(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *primary = pg_ctx_primary(ctx), *second = pg_ctx_region(ctx, 1);
    pg_resource(out, second, "aws_sqs_queue", "audit_events");
    pg_resource(out, NULL, "aws_iam_role", "ecs_task", PG_STR("assume_role_policy", "{}"));
    cJSON *key = pg_resource(out, primary, "aws_kms_key", "logs");
    pg_resource(out, primary, "aws_kms_alias", "logs", PG_STR("name", "alias/logs"),
                PG_REF("target_key_id", key, "key_id"));
    pg_data(out, primary, "aws_iam_policy_document", "logs");
    pg_resource(out, primary, "aws_sqs_queue", "custom", PG_MAP("tags", PG_STR("Name", "custom")));
    /* PG_NAME: the kind given, in the block's region, other tags kept */
    pg_resource(out, primary, "aws_kms_key", "storage", PG_MAP("tags", PG_STR("Purpose", "s3")),
                PG_NAME("kms-storage"));
    pg_resource(out, NULL, "aws_iam_role", "flow_logs", PG_STR("assume_role_policy", "{}"),
                PG_NAME("vpc-flow-logs"));
    cJSON *renamed = pg_resource(out, second, "aws_sns_topic", "alarms",
                                 PG_MAP("tags", PG_STR("Name", "before")));
    pg_set(out, renamed, PG_NAME("alarms-topic"));
    return 0;
}
TH_PLUGIN(plugin_names, "names", NULL, NULL, NULL, 0, names);

static void test_name_tags_from_label_or_pg_name(void)
{
    th_run *r = run_ok(&plugin_names, NULL);
    /* automatic: the label with '-' for '_', with the region's code if any */
    TH_ASSERT_STR(payment(r, "aws_sqs_queue", "audit_events_use2"), "tags.Name",
                  "payment-audit-events-use2-staging-xyz789");
    TH_ASSERT_STR(payment(r, "aws_iam_role", "ecs_task"), "tags.Name", "payment-ecs-task-staging-xyz789");
    TH_ASSERT_STR(payment(r, "aws_kms_key", "logs_use1"), "tags.Name", "payment-logs-use1-staging-xyz789");
    /* not for types without tags, nor for data sources, nor over a Name set */
    CU_ASSERT_PTR_NULL(th_path(payment(r, "aws_kms_alias", "logs_use1"), "tags"));
    CU_ASSERT_PTR_NULL(th_path(th_data(r, "payment", "aws_iam_policy_document", "logs_use1"), "tags"));
    TH_ASSERT_STR(payment(r, "aws_sqs_queue", "custom_use1"), "tags.Name", "custom");
    /* PG_NAME */
    const cJSON *key = payment(r, "aws_kms_key", "storage_use1");
    TH_ASSERT_STR(key, "tags.Name", "payment-kms-storage-use1-staging-xyz789");
    TH_ASSERT_STR(key, "tags.Purpose", "s3");
    TH_ASSERT_STR(payment(r, "aws_iam_role", "flow_logs"), "tags.Name",
                  "payment-vpc-flow-logs-staging-xyz789");
    TH_ASSERT_STR(payment(r, "aws_sns_topic", "alarms_use2"), "tags.Name",
                  "payment-alarms-topic-use2-staging-xyz789");
    th_free(r);
}

/* ------------------------------------------------------ top-level constructs */

static int top_level(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    pg_variable(out, "image_tag", "string", "container image tag", PG_STR("default", "latest"),
                PG_BLOCK("validation", PG_STR("condition", "${length(var.image_tag) > 0}"),
                         PG_STR("error_message", "empty tag")));
    pg_output(out, "region", "us-east-1", "the primary region");
    pg_local_string(out, "prefix", "payment-staging");
    pg_local(out, "zones", pg_strings("a", "b"));
    pg_use_stack(out, PG_STACK_BOOTSTRAP);
    pg_backend(out, "s3", PG_STR("bucket", "state"), PG_BOOL("encrypt", true));
    pg_resource(out, NULL, "aws_s3_bucket", "state", PG_STR("bucket", "state"),
                PG_JSON("policy_arns", pg_strings("arn:1", NULL)));
    return 0;
}
TH_PLUGIN(plugin_top, "top", NULL, NULL, NULL, 0, top_level);

static void test_variables_outputs_locals_backend(void)
{
    th_run *r = run_ok(&plugin_top, NULL);
    const cJSON *p = th_stack(r, "payment"), *b = th_stack(r, "bootstrap");
    TH_ASSERT_STR(p, "variable.image_tag.type", "string");
    TH_ASSERT_STR(p, "variable.image_tag.description", "container image tag");
    TH_ASSERT_STR(p, "variable.image_tag.default", "latest");
    TH_ASSERT_STR(p, "variable.image_tag.validation.0.error_message", "empty tag");
    TH_ASSERT_STR(p, "output.region.value", "us-east-1");
    TH_ASSERT_STR(p, "output.region.description", "the primary region");
    TH_ASSERT_STR(p, "locals.prefix", "payment-staging");
    TH_ASSERT_STR(p, "locals.zones.1", "b");
    TH_ASSERT_STR(b, "terraform.backend.s3.bucket", "state");
    CU_ASSERT_EQUAL(th_bool(b, "terraform.backend.s3.encrypt"), 1);
    TH_ASSERT_STR(b, "resource.aws_s3_bucket.state.bucket", "state");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(b, "resource.aws_s3_bucket.state.policy_arns")), 1);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_s3_bucket", "state"));
    th_free(r);
}

/* ------------------------------------------------------ import, pg_fail_at */

static int imports(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *secondary = pg_ctx_all_region(ctx, 1);
    pg_resource(out, pg_ctx_primary(ctx), "aws_rds_cluster", "main",
                PG_STR("cluster_identifier", "today-db"),
                PG_IMPORT("today-db"));
    pg_resource(out, secondary, "aws_rds_cluster", "main", PG_IF(false, PG_IMPORT("skipped")),
                PG_IMPORT("today-db-east2"));
    cJSON *d = pg_data(out, NULL, "aws_caller_identity", "me", PG_IMPORT("not-a-resource"));
    pg_resource(out, NULL, "aws_s3_bucket", "logs", PG_BLOCK("rule", PG_IMPORT("nested")));
    (void)d;
    return pg_fail_at(out, "environment", "is checked where it was set");
}
TH_PLUGIN(plugin_imports, "imports", NULL, NULL, NULL, 0, imports);

static void test_import_blocks_and_located_errors(void)
{
    th_run *r = run_one(&plugin_imports, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    const cJSON *imports = th_path(th_stack(r, "payment"), "import");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(imports), 2);
    TH_ASSERT_STR(imports, "0.to", "aws_rds_cluster.main_use1");
    TH_ASSERT_STR(imports, "0.id", "today-db");
    CU_ASSERT_PTR_NULL(th_path(imports, "0.provider"));
    TH_ASSERT_STR(imports, "1.to", "aws_rds_cluster.main_use2");
    TH_ASSERT_STR(imports, "1.id", "today-db-east2");
    TH_ASSERT_STR(imports, "1.provider", "aws.use2");
    /* only a resource itself can be imported */
    TH_ASSERT_ERROR(r, "plugin imports: data.aws_caller_identity.me: PG_IMPORT needs a resource");
    TH_ASSERT_ERROR(r, "plugin imports: aws_s3_bucket.logs: PG_IMPORT needs a resource");
    /* the key and where its value came from lead the message */
    TH_ASSERT_ERROR(r, ": plugin imports: environment: is checked where it was set");
    th_free(r);

    const char *const set_env[] = {"environment=qa", NULL};
    r = run_one(&plugin_imports, set_env);
    TH_ASSERT_ERROR(r, "--set environment: plugin imports: is checked where it was set");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"blocks append to arrays", test_blocks_append_to_arrays},
        {"maps merge", test_maps_merge},
        {"scalar set twice names block and key", test_scalar_set_twice_names_block_and_key},
        {"PG_IF skips the next item whole", test_if_skips_the_next_item_whole},
        {"lifecycle items merge into one object", test_lifecycle_items_merge_into_one_object},
        {"depends_on appends addresses once", test_depends_on_appends_addresses_once},
        {"malformed item list is an error", test_malformed_item_list_is_an_error},
        {"Name tags from label or PG_NAME", test_name_tags_from_label_or_pg_name},
        {"variables, outputs, locals, backend", test_variables_outputs_locals_backend},
        {"import blocks and located errors", test_import_blocks_and_located_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("builder", tests);
}
