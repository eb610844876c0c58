// SPDX-License-Identifier: Apache-2.0
// A plugin written in C++17: every item macro, the settings macros and
// PG_PLUGIN_DEFINE must compile with -Wall -Wextra -Wpedantic -Werror, and
// the descriptor must load (tests/cxx/test_cxx.sh).
#include <paygen/paygen.h>

#include <cstring>

namespace {

struct cxx_config {
    const char *name;
    long count;
    bool enabled;
    pg_list zones;
    const char *mode;
};

const pg_setting settings[] = {
    PG_SETTING_STRING("cxx.name", cxx_config, name, "from-cxx", "a name"),
    PG_SETTING_INT("cxx.count", cxx_config, count, "2", 1, 9, "how many"),
    PG_SETTING_BOOL("cxx.enabled", cxx_config, enabled, "true", "on or off"),
    PG_SETTING_LIST("cxx.zones", cxx_config, zones, "a, b", "zones"),
    PG_SETTING_CHOICE("cxx.mode", cxx_config, mode, "block", "block|count", "what rules do"),
    PG_SETTINGS_END,
};

const pg_publication publishes[] = {
    {"cxx.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"cxx.names", PG_GLOBAL, PG_KIND_LIST},
    PG_PUBLICATIONS_END,
};

int contribute(const pg_ctx *ctx, pg_out *out)
{
    const cxx_config *cfg = static_cast<const cxx_config *>(pg_config(ctx));
    const pg_region *r = pg_ctx_primary(ctx);
    const char *account = pg_need(ctx, nullptr, "aws.account_id");
    if (!account || !pg_lookup(ctx, r, "aws.region") || pg_lookup_list(ctx, nullptr, "cxx.names"))
        return pg_fail(out, "account %s", account ? account : "(none)");
    bool locked = std::strcmp(cfg->mode, "block") == 0;

    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "queue",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "Send"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "sqs:SendMessage"),
                                  PG_STRS("resources", "*"),
                                  PG_PRINCIPALS("AWS", pg_printf(out, "arn:aws:iam::%s:root", account)),
                                  PG_CONDITION("Bool", "aws:SecureTransport", "true")));
    pg_block(out, doc, "statement",
             PG_STR("sid", "Deny"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "sqs:*"),
             PG_STRS("resources", "*"));
    cJSON *dlq = pg_resource(out, r, "aws_sqs_queue", "dead_letters",
                             PG_INT("message_retention_seconds", cfg->count * 604800L));
    cJSON *queue = pg_resource(out, r, "aws_sqs_queue", "events",
                               PG_STR("name", pg_name(out, r, cfg->name, 80)),
                               PG_NUM("visibility_timeout_seconds", 30.0),
                               PG_BOOL("sqs_managed_sse_enabled", cfg->enabled),
                               PG_REF("policy", doc, "json"),
                               PG_JSON("zones", pg_strings(cfg->zones.items[0], cfg->zones.items[1])),
                               PG_MAP("tags", PG_STR("Purpose", "events")),
                               PG_NAME("cxx-events"),
                               PG_DEPENDS_ON(dlq),
                               PG_PROTECT,
                               PG_IGNORE_CHANGES("tags"),
                               PG_CREATE_BEFORE_DESTROY,
                               PG_IF(locked, PG_BLOCK("redrive", PG_REF("target", dlq, "arn"))));
    pg_set(out, queue, PG_IF(!locked, PG_INT("delay_seconds", 5)));
    pg_variable(out, "cxx_mode", "string", "the mode", PG_STR("default", cfg->mode));
    pg_output(out, "cxx_queue", pg_ref(out, queue, "url"), "the queue");
    pg_local(out, "cxx_names", pg_strings("a", "b", nullptr));
    pg_local_string(out, "cxx_address", pg_address(out, queue));
    pg_publish_refs(out, r, "cxx.events", queue, "arn");
    pg_publish(out, nullptr, "cxx.names", pg_strings(cfg->name));
    pg_use_stack(out, PG_STACK_BOOTSTRAP);
    pg_backend(out, "local", PG_STR("path", "cxx.tfstate"));
    if (pg_ctx_phase(ctx) == PG_PHASE_LEGACY)
        pg_error(out, "%s", "not in legacy");
    return 0;
}

} // namespace

PG_PLUGIN_DEFINE("cxx", "1.0.0", "Apache-2.0", "a plugin written in C++", publishes, nullptr,
                 settings, sizeof(cxx_config), contribute)
