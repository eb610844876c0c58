// SPDX-License-Identifier: Apache-2.0
// The test kit as C++17: generates with the C++ plugin of plugin.cpp alone
// and checks, through pgt_check_*(), what each item macro wrote.
//   driver PROFILE PLUGIN_DIR
#include <paygen/testkit.h>

#include <cstdio>

namespace {

int failures = 0;

void check(const char *what, const char *problem)
{
    if (problem) {
        std::fprintf(stderr, "FAIL %s: %s\n", what, problem);
        failures++;
    }
}

void defaults(const char *profile, const char *const *dirs)
{
    pgt_run *run = pgt_generate_only(profile, nullptr, dirs);
    check("generation", pgt_check_ok(run));
    const cJSON *q = pgt_resource(run, "payment", "aws_sqs_queue", "events_use1");
    check("name", pgt_check_str(q, "name", "payment-from-cxx-use1-staging-xyz789"));
    check("PG_NUM", pgt_check_num(q, "visibility_timeout_seconds", 30));
    check("PG_BOOL", pgt_check_bool(q, "sqs_managed_sse_enabled", true));
    check("PG_REF", pgt_check_str(q, "policy", "${data.aws_iam_policy_document.queue_use1.json}"));
    check("PG_JSON", pgt_check_has(q, "zones", "b"));
    check("PG_MAP", pgt_check_str(q, "tags.Purpose", "events"));
    check("PG_NAME", pgt_check_str(q, "tags.Name", "payment-cxx-events-use1-staging-xyz789"));
    check("PG_DEPENDS_ON", pgt_check_str(q, "depends_on.0", "aws_sqs_queue.dead_letters_use1"));
    check("PG_IGNORE_CHANGES", pgt_check_str(q, "lifecycle.ignore_changes.0", "tags"));
    check("PG_CREATE_BEFORE_DESTROY", pgt_check_bool(q, "lifecycle.create_before_destroy", true));
    check("PG_PROTECT without protection", pgt_check_str(q, "lifecycle.prevent_destroy", nullptr));
    check("PG_IF true", pgt_check_str(q, "redrive.0.target", "${aws_sqs_queue.dead_letters_use1.arn}"));
    check("PG_IF false", pgt_check_str(q, "delay_seconds", nullptr));
    check("PG_INT", pgt_check_num(pgt_resource(run, "payment", "aws_sqs_queue", "dead_letters_use1"),
                                  "message_retention_seconds", 1209600));
    const cJSON *doc = pgt_data(run, "payment", "aws_iam_policy_document", "queue_use1");
    check("pg_block", pgt_check_str(doc, "statement.1.sid", "Deny"));
    check("PG_PRINCIPALS", pgt_check_str(doc, "statement.0.principals.0.identifiers.0",
                                         "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"));
    check("PG_CONDITION", pgt_check_str(doc, "statement.0.condition.0.values.0", "true"));
    const cJSON *p = pgt_stack(run, "payment");
    check("pg_variable", pgt_check_str(p, "variable.cxx_mode.default", "block"));
    check("pg_output", pgt_check_str(p, "output.cxx_queue.value", "${aws_sqs_queue.events_use1.url}"));
    check("pg_local", pgt_check_str(p, "locals.cxx_names.1", "b"));
    check("pg_local_string", pgt_check_str(p, "locals.cxx_address", "aws_sqs_queue.events_use1"));
    check("pg_backend", pgt_check_str(pgt_stack(run, "bootstrap"), "terraform.backend.local.path", "cxx.tfstate"));
    const char *version = pgt_plugin_version(run, "cxx");
    check("version", version ? nullptr : "cxx not loaded");
    pgt_free(run);
}

void overrides(const char *profile, const char *const *dirs)
{
    const char *const sets[] = {"cxx.mode=count", "protection=true", nullptr};
    pgt_run *run = pgt_generate_only(profile, sets, dirs);
    check("generation", pgt_check_ok(run));
    const cJSON *q = pgt_resource(run, "payment", "aws_sqs_queue", "events_use1");
    check("PG_PROTECT", pgt_check_bool(q, "lifecycle.prevent_destroy", true));
    check("pg_set PG_IF", pgt_check_num(q, "delay_seconds", 5));
    check("PG_IF false", pgt_check_str(q, "redrive", nullptr));
    pgt_free(run);

    const char *const bad[] = {"cxx.mode=skip", nullptr};
    run = pgt_generate_only(profile, bad, dirs);
    check("choice", pgt_check_error(run, "cxx.mode = 'skip' is not one of block|count"));
    pgt_free(run);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: driver PROFILE PLUGIN_DIR\n");
        return 2;
    }
    const char *const dirs[] = {argv[2], nullptr};
    defaults(argv[1], dirs);
    overrides(argv[1], dirs);
    std::printf("%s\n", failures ? "failed" : "ok");
    return failures ? 1 : 0;
}
