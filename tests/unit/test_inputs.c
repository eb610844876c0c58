/* SPDX-License-Identifier: Apache-2.0 */
/* The reader of generated documents (issue 20): duplicate keys are found
 * in every object, named by their JSON path, in n log n; a \u0000 escape is
 * refused; diff reads every JSON form of "resource" and refuses a block
 * defined twice. Files, links, FIFOs and manifests: tests/faults/inputs.sh. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "dupkeys.h"
#include "harness.h"
#include "inputs.h"

static void test_duplicate_paths(void)
{
    pg_errors err = {0};
    cJSON *doc = pg_parse_json_file("f.json",
                                    "{\"a\": [{\"b\": 1, \"b\": 2, \"b\": 3}],"
                                    " \"we\\\"ird\\n\": {\"x\": 1, \"x\": 2},"
                                    " \"c\": 1, \"c\": {\"d\": 1}, \"ok\": {\"e\": 1, \"f\": 2}}",
                                    &err);
    CU_ASSERT_PTR_NULL(doc);
    CU_ASSERT_EQUAL(err.count, 3);
    CU_ASSERT_TRUE(th_errors_have(&err, "f.json: duplicate key a[0].b (3 copies)"));
    CU_ASSERT_TRUE(th_errors_have(&err, "f.json: duplicate key [\"we\\\"ird\\x0a\"].x (2 copies)"));
    CU_ASSERT_TRUE(th_errors_have(&err, "f.json: duplicate key c (2 copies)"));
    pg_errors_free(&err);
    /* the same key in different objects is no duplicate */
    doc = pg_parse_json_file("f.json",
                             "{\"a\": {\"k\": 1}, \"b\": {\"k\": 1}, \"l\": [{\"k\": 1}, {\"k\": 2}]}", &err);
    CU_ASSERT_PTR_NOT_NULL(doc);
    CU_ASSERT_EQUAL(err.count, 0);
    cJSON_Delete(doc);
}

static void test_duplicates_counted_past_the_shown(void)
{
    cJSON *doc = cJSON_CreateObject();
    for (int i = 0; i < PG_DUPKEYS_SHOWN + 5; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%02d", i);
        cJSON_AddNumberToObject(doc, key, 1);
        cJSON_AddNumberToObject(doc, key, 2);
    }
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_dupkeys_report(doc, "f", &err), PG_DUPKEYS_SHOWN + 5);
    CU_ASSERT_EQUAL(err.count, PG_DUPKEYS_SHOWN + 1);
    CU_ASSERT_TRUE(th_errors_have(&err, "f: duplicate key k00 (2 copies)"));
    CU_ASSERT_TRUE(th_errors_have(&err, "f: 5 more duplicate keys"));
    pg_errors_free(&err);
    cJSON_Delete(doc);
}

/* One object of 200,000 keys, the last a copy of the first: comparing each
 * key with those before it (2 * 10^10 comparisons) would not finish. */
static void test_duplicates_in_a_large_object(void)
{
    enum { keys = 200000 };
    cJSON *doc = cJSON_CreateObject();
    for (int i = 0; i < keys; i++) {
        char key[48];
        snprintf(key, sizeof key, "payment_ingress_rule_from_partner_%07d", i);
        cJSON_AddNumberToObject(doc, key, i);
    }
    cJSON_AddNumberToObject(doc, "payment_ingress_rule_from_partner_0000000", 0);
    pg_errors err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CU_ASSERT_EQUAL(pg_dupkeys_report(doc, "big", &err), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "\n  %d keys: %.0f ms\n", keys + 1,
            (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    CU_ASSERT_TRUE(th_errors_have(&err, "big: duplicate key payment_ingress_rule_from_partner_0000000 (2 copies)"));
    pg_errors_free(&err);
    cJSON_Delete(doc);
}

static void test_nul_escape(void)
{
    pg_errors err = {0};
    CU_ASSERT_PTR_NULL(pg_parse_json_file("f.json", "{\n  \"a\": \"x\\u0000y\"\n}", &err));
    CU_ASSERT_TRUE(th_errors_have(&err, "f.json:2:10: a \\u0000 in a string"));
    pg_errors_free(&err);
    /* an escaped backslash followed by the text u0000 is no NUL */
    cJSON *doc = pg_parse_json_file("f.json", "{\"a\": \"x\\\\u0000y\"}", &err);
    CU_ASSERT_PTR_NOT_NULL(doc);
    CU_ASSERT_EQUAL(err.count, 0);
    cJSON_Delete(doc);
}

typedef struct parsed {
    cJSON *doc; /* the resources point into it */
    pg_resources r;
} parsed;

static parsed read_resources(const char *json, int want_rc, pg_errors *err)
{
    parsed p = {cJSON_Parse(json), {0}};
    CU_ASSERT_PTR_NOT_NULL_FATAL(p.doc);
    CU_ASSERT_EQUAL(pg_resources_read(&p.r, p.doc, "t", err), want_rc);
    return p;
}

static void parsed_free(parsed *p)
{
    pg_resources_free(&p->r);
    cJSON_Delete(p->doc);
}

static void expect_refused(const char *json, const char *message)
{
    pg_errors err = {0};
    parsed p = read_resources(json, -1, &err);
    CU_ASSERT_TRUE(th_errors_have(&err, message));
    if (!th_errors_have(&err, message))
        fprintf(stderr, "\n  %s: wanted %s\n", json, message);
    parsed_free(&p);
    pg_errors_free(&err);
}

static void test_resource_forms(void)
{
    pg_errors err = {0};
    parsed p = read_resources("{\"resource\": [{\"b_type\": {\"one\": [{\"x\": 1}]}},"
                              " {\"a_type\": [{\"two\": {\"y\": 2}}, {\"one\": {\"z\": 3}}]}]}",
                              0, &err);
    CU_ASSERT_EQUAL_FATAL(p.r.count, 3);
    CU_ASSERT_STRING_EQUAL(p.r.items[0].type, "a_type");
    CU_ASSERT_STRING_EQUAL(p.r.items[0].label, "one");
    CU_ASSERT_STRING_EQUAL(p.r.items[1].label, "two");
    CU_ASSERT_STRING_EQUAL(p.r.items[2].type, "b_type");
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(p.r.items[2].body, "x")->valueint, 1);
    CU_ASSERT_EQUAL(err.count, 0);
    parsed_free(&p);
    p = read_resources("{\"resource\": {\"t\": {\"a\": {}}, \"u\": [{\"a\": {}}]}}", 0, &err);
    CU_ASSERT_EQUAL(p.r.count, 2);
    parsed_free(&p);
    p = read_resources("{\"resource\": {\"t\": {\"a\": []}}}", 0, &err); /* no block */
    CU_ASSERT_EQUAL(p.r.count, 0);
    parsed_free(&p);
    CU_ASSERT_EQUAL(err.count, 0);
    pg_errors_free(&err);

    expect_refused("{\"resource\": [{\"t\": {\"a\": {}}}, {\"t\": {\"a\": {\"x\": 1}}}]}",
                   "t: resource t.a is defined more than once");
    expect_refused("{\"resource\": {\"t\": {\"a\": [{}, {}]}}}", "t: resource t.a is defined more than once");
    expect_refused("{\"resource\": {\"t\": {\"a\": [1]}}}", "t: resource t.a: the body is not an object");
    expect_refused("{\"resource\": {\"t\": [[{\"a\": {}}]]}}",
                   "t: resource type t is neither an object nor an array of objects");
    expect_refused("{\"resource\": \"x\"}", "t: \"resource\" is neither an object nor an array of objects");
}

/* It crashed on these; the protection in an array-form lifecycle counts. */
static void test_diff_array_forms(void)
{
    cJSON *from = cJSON_Parse("{\"resource\": [{\"aws_sqs_queue\": {\"jobs\": [{\"name\": \"j\","
                              " \"lifecycle\": [{\"prevent_destroy\": true}]}]}},"
                              " {\"aws_s3_bucket\": [{\"keep\": [{\"bucket\": \"k\"}]}]}]}");
    cJSON *to = cJSON_Parse("{\"resource\": {\"aws_s3_bucket\": {\"keep\": {\"bucket\": \"k2\"}}}}");
    pg_diff d = {0};
    pg_diff_stack(&d, from, to);
    CU_ASSERT_EQUAL_FATAL(d.count, 2);
    for (size_t i = 0; i < d.count; i++) {
        const pg_change *c = &d.changes[i];
        if (!strcmp(c->address, "aws_sqs_queue.jobs")) {
            CU_ASSERT_EQUAL(c->kind, PG_REMOVED);
            CU_ASSERT_TRUE(c->protected_);
        } else {
            CU_ASSERT_STRING_EQUAL(c->address, "aws_s3_bucket.keep");
            CU_ASSERT_EQUAL(c->kind, PG_REPLACED);
            CU_ASSERT_STRING_EQUAL(c->detail, "bucket (forces replacement)");
        }
    }
    CU_ASSERT_FALSE(pg_diff_is_safe(&d));
    pg_diff_free(&d);
    cJSON_Delete(from);
    cJSON_Delete(to);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"duplicate keys named by path", test_duplicate_paths},
        {"duplicates counted past the shown", test_duplicates_counted_past_the_shown},
        {"duplicates in a large object", test_duplicates_in_a_large_object},
        {"\\u0000 refused", test_nul_escape},
        {"resource forms", test_resource_forms},
        {"diff of array forms", test_diff_array_forms},
        CU_TEST_INFO_NULL,
    };
    return th_main("inputs", tests);
}
