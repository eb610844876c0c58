/* SPDX-License-Identifier: Apache-2.0 */
/* paygen diff on import blocks and replicas (issue 15): the adoption step
 * from nothing, adopted blocks in a phase step, the replacement or removal
 * of an adopted database, an import its block does not match, and the
 * promotion of a replica. Array forms and duplicate blocks: test_inputs.c. */
#include <string.h>

#include "diff.h"
#include "harness.h"

/* Today's Aurora cluster and one of its instances, brought in by import;
 * the global cluster around it is new. */
static const char adopted_stack[] =
    "{\"resource\": {"
    " \"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-legacy-db\","
    "   \"engine\": \"aurora-postgresql\", \"kms_key_id\": \"arn:aws:kms:us-east-1:111122223333:key/k1\","
    "   \"lifecycle\": {\"prevent_destroy\": true}}},"
    " \"aws_rds_cluster_instance\": {\"instance_1_use1\": {\"identifier\": \"payment-legacy-db-1\","
    "   \"cluster_identifier\": \"${aws_rds_cluster.main_use1.id}\"}},"
    " \"aws_rds_global_cluster\": {\"global\": {\"global_cluster_identifier\": \"payment-global\","
    "   \"source_db_cluster_identifier\": \"${aws_rds_cluster.main_use1.arn}\", \"force_destroy\": true}}},"
    " \"import\": [{\"to\": \"aws_rds_cluster_instance.instance_1_use1\", \"id\": \"payment-legacy-db-1\"},"
    "   {\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"payment-legacy-db\"}]}";

typedef struct step {
    cJSON *from, *to;
    pg_resources a, b;
    pg_diff d;
} step;

/* from NULL: nothing managed. */
static void run(step *s, const char *from, const char *to)
{
    *s = (step){0};
    pg_errors err = {0};
    s->from = from ? cJSON_Parse(from) : NULL;
    s->to = cJSON_Parse(to);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->to);
    if (from) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(s->from);
        CU_ASSERT_EQUAL(pg_resources_read(&s->a, s->from, "from", &err), 0);
    }
    CU_ASSERT_EQUAL(pg_resources_read(&s->b, s->to, "to", &err), 0);
    CU_ASSERT_EQUAL(err.count, 0);
    pg_errors_free(&err);
    pg_diff_resources(&s->d, &s->a, &s->b);
}

static void done(step *s)
{
    pg_diff_free(&s->d);
    pg_resources_free(&s->a);
    pg_resources_free(&s->b);
    cJSON_Delete(s->from);
    cJSON_Delete(s->to);
}

static const pg_change *change(const pg_diff *d, const char *address)
{
    for (size_t i = 0; i < d->count; i++)
        if (!strcmp(d->changes[i].address, address))
            return &d->changes[i];
    return NULL;
}

/* nothing -> legacy: the import blocks' targets are adopted, the rest is
 * created, and nothing adopted is replaced: a safe step. */
static void test_adoption_from_nothing(void)
{
    step s;
    run(&s, NULL, adopted_stack);
    CU_ASSERT_EQUAL(s.b.import_count, 2);
    CU_ASSERT_STRING_EQUAL(s.b.imports[0].to, "aws_rds_cluster.main_use1"); /* sorted */
    CU_ASSERT_EQUAL(s.d.count, 3);
    CU_ASSERT_EQUAL(pg_diff_count(&s.d, PG_ADOPTED), 2);
    CU_ASSERT_EQUAL(pg_diff_count(&s.d, PG_ADDED), 1);
    const pg_change *c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADOPTED);
    CU_ASSERT_TRUE(c->adopted);
    CU_ASSERT_STRING_EQUAL(c->import_id, "payment-legacy-db");
    CU_ASSERT_FALSE(c->destroys_existing);
    CU_ASSERT_PTR_NULL(c->detail);
    CU_ASSERT_PTR_NULL(c->advice);
    CU_ASSERT_STRING_EQUAL(c->region, "use1");
    c = change(&s.d, "aws_rds_cluster_instance.instance_1_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADOPTED);
    CU_ASSERT_STRING_EQUAL(c->import_id, "payment-legacy-db-1");
    c = change(&s.d, "aws_rds_global_cluster.global");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADDED);
    CU_ASSERT_FALSE(c->adopted);
    CU_ASSERT_PTR_NULL(c->import_id);
    CU_ASSERT_TRUE(pg_diff_is_safe(&s.d));
    done(&s);
}

/* A block that does not describe what it imports: Terraform imports the
 * object and then replaces it. Called out, unsafe. */
static void test_adoption_that_would_replace(void)
{
    step s;
    run(&s, NULL,
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-new-db\"}}},"
        " \"import\": {\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"payment-legacy-db\"}}");
    const pg_change *c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADOPTED);
    CU_ASSERT_TRUE(c->destroys_existing);
    CU_ASSERT_STRING_EQUAL(c->detail, "cluster_identifier 'payment-new-db' is not the imported "
                                      "'payment-legacy-db' (forces replacement)");
    CU_ASSERT_STRING_EQUAL(c->note, "replacement of an existing database right after its import "
                                    "(id payment-legacy-db)");
    CU_ASSERT_PTR_NOT_NULL(c->advice);
    CU_ASSERT_TRUE(pg_change_is_dangerous(c));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);

    /* an argument only a creation reads */
    run(&s, NULL,
        "{\"resource\": {\"aws_db_instance\": {\"db\": {\"identifier\": \"payment-legacy-db\","
        " \"snapshot_identifier\": \"snap-1\"}}},"
        " \"import\": [{\"to\": \"aws_db_instance.db\", \"id\": \"payment-legacy-db\"}]}");
    c = change(&s.d, "aws_db_instance.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(c->destroys_existing);
    CU_ASSERT_STRING_EQUAL(c->detail, "snapshot_identifier on an imported object (forces replacement)");
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);

    /* an expression is not judged; a literal that matches is fine */
    run(&s, NULL,
        "{\"resource\": {\"aws_rds_cluster\": {\"a_use1\": {\"cluster_identifier\": \"${var.id}\"},"
        " \"b_use1\": {\"cluster_identifier\": \"x\"}}},"
        " \"import\": [{\"to\": \"aws_rds_cluster.a_use1\", \"id\": \"y\"},"
        " {\"to\": \"aws_rds_cluster.b_use1\", \"id\": \"x\"}]}");
    CU_ASSERT_EQUAL(pg_diff_count(&s.d, PG_ADOPTED), 2);
    CU_ASSERT_TRUE(pg_diff_is_safe(&s.d));
    done(&s);
}

/* In a phase step, a block that appears with an import block is adopted,
 * not created; a block already adopted and unchanged is no change. */
static void test_adoption_in_a_phase_step(void)
{
    step s;
    run(&s,
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"c\"}}},"
        " \"import\": [{\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"c\"}]}",
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"c\"}},"
        "  \"aws_db_subnet_group\": {\"legacy_use1\": {\"name\": \"payment-legacy-db-subnets\"}},"
        "  \"aws_security_group\": {\"db_use1\": {\"name\": \"payment-db\"}}},"
        " \"import\": [{\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"c\"},"
        "  {\"to\": \"aws_db_subnet_group.legacy_use1\", \"id\": \"payment-legacy-db-subnets\"}]}");
    CU_ASSERT_EQUAL(s.d.count, 2);
    const pg_change *c = change(&s.d, "aws_db_subnet_group.legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADOPTED);
    c = change(&s.d, "aws_security_group.db_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_ADDED);
    CU_ASSERT_PTR_NULL(change(&s.d, "aws_rds_cluster.main_use1"));
    CU_ASSERT_TRUE(pg_diff_is_safe(&s.d));
    done(&s);
}

/* A replacement-forcing change on an imported database is the replacement
 * of today's database, whether the new side still has the import or not. */
static void test_replacing_an_adopted_database(void)
{
#define OTHER_KEY_CLUSTER                                                                          \
    "\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-legacy-db\","             \
    " \"engine\": \"aurora-postgresql\","                                                          \
    " \"kms_key_id\": \"arn:aws:kms:us-east-1:111122223333:key/k2\"}}"
    const char *to_variants[] = {
        "{\"resource\": {" OTHER_KEY_CLUSTER "},"
        " \"import\": [{\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"payment-legacy-db\"}]}",
        "{\"resource\": {" OTHER_KEY_CLUSTER "}}",
    };
    for (size_t v = 0; v < 2; v++) {
        step s;
        run(&s, adopted_stack, to_variants[v]);
        const pg_change *c = change(&s.d, "aws_rds_cluster.main_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        /* kms_key_id replaces a cluster (not a log group) */
        CU_ASSERT_EQUAL(c->kind, PG_REPLACED);
        CU_ASSERT_STRING_EQUAL(c->detail, "kms_key_id (forces replacement), lifecycle");
        CU_ASSERT_TRUE(c->adopted);
        CU_ASSERT_TRUE(c->destroys_existing);
        CU_ASSERT_TRUE(c->protected_);
        CU_ASSERT_STRING_EQUAL(c->import_id, "payment-legacy-db");
        CU_ASSERT_STRING_EQUAL(c->note, "replacement of an existing database (adopted by import, "
                                        "id payment-legacy-db)");
        CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
        done(&s);
    }

    step s;
    run(&s, adopted_stack,
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-new-db\","
        " \"engine\": \"aurora-postgresql\", \"kms_key_id\": \"arn:aws:kms:us-east-1:111122223333:key/k1\","
        " \"lifecycle\": {\"prevent_destroy\": true}}}},"
        " \"import\": [{\"to\": \"aws_rds_cluster.main_use1\", \"id\": \"payment-legacy-db\"}]}");
    const pg_change *c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_REPLACED);
    CU_ASSERT_STRING_EQUAL(c->detail, "cluster_identifier (forces replacement)");
    CU_ASSERT_TRUE(c->adopted);
    CU_ASSERT_TRUE(c->destroys_existing);
    CU_ASSERT_TRUE(c->protected_);
    CU_ASSERT_STRING_EQUAL(c->note,
                           "replacement of an existing database (adopted by import, id payment-legacy-db)");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->advice);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "do not apply"));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);

    /* kms_key_id on a log group changes in place */
    run(&s, "{\"resource\": {\"aws_cloudwatch_log_group\": {\"l\": {\"kms_key_id\": \"a\"}}}}",
        "{\"resource\": {\"aws_cloudwatch_log_group\": {\"l\": {\"kms_key_id\": \"b\"}}}}");
    CU_ASSERT_EQUAL_FATAL(s.d.count, 1);
    CU_ASSERT_EQUAL(s.d.changes[0].kind, PG_CHANGED);
    done(&s);

    /* not a database: "an existing resource" */
    run(&s,
        "{\"resource\": {\"aws_security_group\": {\"db_use1\": {\"name\": \"a\"}}},"
        " \"import\": [{\"to\": \"aws_security_group.db_use1\", \"id\": \"sg-0123456789abcdef0\"}]}",
        "{\"resource\": {\"aws_security_group\": {\"db_use1\": {\"name\": \"b\"}}}}");
    c = change(&s.d, "aws_security_group.db_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_REPLACED);
    CU_ASSERT_STRING_EQUAL(c->note, "replacement of an existing resource (adopted by import, id "
                                    "sg-0123456789abcdef0)");
    CU_ASSERT_TRUE(pg_change_is_dangerous(c)); /* not stateful, yet it existed before paygen */
    done(&s);
}

/* Rolling the adoption back to nothing destroys today's platform unless the
 * adopted blocks are forgotten first: the advice says how. */
static void test_rollback_of_the_adoption(void)
{
    step s;
    cJSON *empty = cJSON_CreateObject();
    pg_resources none = {0};
    s = (step){0};
    s.from = cJSON_Parse(adopted_stack);
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_resources_read(&s.a, s.from, "from", &err), 0);
    CU_ASSERT_EQUAL(pg_resources_read(&none, empty, "to", &err), 0);
    pg_diff_resources(&s.d, &s.a, &none);
    CU_ASSERT_EQUAL(pg_diff_count(&s.d, PG_REMOVED), 3);
    const pg_change *c = change(&s.d, "aws_rds_cluster_instance.instance_1_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(c->destroys_existing);
    CU_ASSERT_STRING_EQUAL(c->note,
                           "destruction of an existing database (adopted by import, id payment-legacy-db-1)");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->advice);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "removed {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "terraform state rm"));
    c = change(&s.d, "aws_rds_global_cluster.global"); /* created by paygen: the usual advice */
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_FALSE(c->destroys_existing);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "member clusters"));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    pg_resources_free(&none);
    cJSON_Delete(empty);
    pg_errors_free(&err);
    done(&s);
}

/* legacy -> migration with the replica move: the replication source goes,
 * which promotes the replica; back again is refused by the provider. */
static void test_replica_promotion(void)
{
    const char *replica =
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-db\","
        " \"replication_source_identifier\": \"arn:aws:rds:us-east-1:111122223333:db:payment-legacy-db\"}}}}";
    const char *promoted =
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-db\"}},"
        " \"aws_rds_global_cluster\": {\"global\": {\"global_cluster_identifier\": \"g\"}}}}";
    step s;
    run(&s, replica, promoted);
    const pg_change *c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, PG_CHANGED);
    CU_ASSERT_STRING_EQUAL(c->detail, "replication_source_identifier");
    CU_ASSERT_EQUAL(c->replica, PG_REPLICA_PROMOTED);
    CU_ASSERT_STRING_EQUAL(c->note, "promotion of the replica: writes must be frozen on the source first");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->advice);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "freeze writes on the source first"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "RDSToAuroraPostgreSQLReplicaLag"));
    CU_ASSERT_TRUE(pg_change_is_dangerous(c));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);

    /* an empty string is no source either */
    run(&s, replica,
        "{\"resource\": {\"aws_rds_cluster\": {\"main_use1\": {\"cluster_identifier\": \"payment-db\","
        " \"replication_source_identifier\": \"\"}}}}");
    c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->replica, PG_REPLICA_PROMOTED);
    done(&s);

    run(&s, promoted, replica);
    c = change(&s.d, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->replica, PG_REPLICA_REATTACHED);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "cannot become a replica again"));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);

    /* the replica unchanged, or a cluster created as one: no promotion */
    run(&s, replica, replica);
    CU_ASSERT_EQUAL(s.d.count, 0);
    done(&s);
    run(&s, "{}", replica);
    CU_ASSERT_EQUAL(s.d.count, 1);
    CU_ASSERT_EQUAL(s.d.changes[0].replica, PG_REPLICA_NONE);
    CU_ASSERT_TRUE(pg_diff_is_safe(&s.d));
    done(&s);
}

/* migration -> production: today's endpoint leaves the weighted set; its
 * traffic must have moved first. */
static void test_legacy_record_removed(void)
{
    step s;
    run(&s,
        "{\"resource\": {\"aws_route53_record\": {\"weighted_legacy\": {\"set_identifier\": \"legacy\"},"
        " \"weighted_use1\": {\"set_identifier\": \"us-east-1\"}}}}",
        "{\"resource\": {\"aws_route53_record\": {\"weighted_use1\": {\"set_identifier\": \"us-east-1\"}}}}");
    CU_ASSERT_EQUAL_FATAL(s.d.count, 1);
    const pg_change *c = &s.d.changes[0];
    CU_ASSERT_EQUAL(c->kind, PG_REMOVED);
    CU_ASSERT_TRUE(c->traffic);
    CU_ASSERT_PTR_NULL(c->region);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->advice);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->advice, "weight_legacy=0"));
    CU_ASSERT_FALSE(pg_diff_is_safe(&s.d));
    done(&s);
}

static void expect_refused(const char *json, const char *message)
{
    cJSON *doc = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    pg_resources r = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_resources_read(&r, doc, "t", &err), -1);
    if (!th_errors_have(&err, message)) {
        fprintf(stderr, "\n  wanted: %s", message);
        CU_FAIL("message missing");
    }
    pg_errors_free(&err);
    pg_resources_free(&r);
    cJSON_Delete(doc);
}

static void test_import_blocks_refused(void)
{
    expect_refused("{\"import\": [{\"to\": \"aws_rds_cluster.a\"}]}",
                   "t: an import block needs the strings \"to\" and \"id\"");
    expect_refused("{\"import\": [{\"to\": \"aws_rds_cluster.a\", \"id\": \"\"}]}",
                   "t: an import block needs the strings \"to\" and \"id\"");
    expect_refused("{\"import\": [1]}", "t: an import block needs the strings \"to\" and \"id\"");
    expect_refused("{\"import\": \"x\"}", "t: \"import\" is neither an object nor an array of objects");
    expect_refused("{\"import\": [{\"to\": \"aws_rds_cluster.a\", \"id\": \"x\"},"
                   " {\"to\": \"aws_rds_cluster.a\", \"id\": \"y\"}]}",
                   "t: aws_rds_cluster.a is imported more than once (Terraform refuses it)");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"adoption from nothing", test_adoption_from_nothing},
        {"an adoption that would replace", test_adoption_that_would_replace},
        {"adoption in a phase step", test_adoption_in_a_phase_step},
        {"replacing an adopted database", test_replacing_an_adopted_database},
        {"rollback of the adoption", test_rollback_of_the_adoption},
        {"replica promotion", test_replica_promotion},
        {"legacy record removed", test_legacy_record_removed},
        {"import blocks refused", test_import_blocks_refused},
        CU_TEST_INFO_NULL,
    };
    return th_main("diff", tests);
}
