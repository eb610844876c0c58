/* SPDX-License-Identifier: Apache-2.0 */
/* Template injection: every string and list setting, of every shipped
 * profile, set to a Terraform interpolation and to a template directive.
 * Each run either fails with a message (the setting's own validation) or
 * writes the text literally ("$${", "%%{"): nothing Terraform would
 * evaluate reaches the output. The settings come from the declarations the
 * core and the plugins make, so a new setting is covered without a change
 * here. tests/integration/terraform-escape.sh shows Terraform reading it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const payloads[] = {"${file(\"/etc/passwd\")}", "%{ for x in [] }%{ endfor }"};
/* what Terraform would run of each, and its escaped, literal form */
static const char *const live[] = {"${file(", "%{ for"};
static const char *const literal[] = {"$${file(", "%%{ for"};

/* Whether Terraform's template scanner starts an interpolation or directive
 * at needle in s: "$${" and "%%{" are literals, skipped whole. */
static bool runs(const char *s, const char *needle)
{
    for (const char *p = s; *p;) {
        if ((*p == '$' || *p == '%') && p[1] == *p && p[2] == '{')
            p += 3;
        else if (!strncmp(p, needle, strlen(needle)))
            return true;
        else
            p++;
    }
    return false;
}

typedef struct findings {
    size_t live, literal;
    const char *example; /* the first string that would run */
} findings;

/* Every string of the document: values and object keys (in Terraform JSON
 * both are templates). */
static void scan(const cJSON *node, size_t payload, findings *f)
{
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        const char *texts[] = {c->string, cJSON_IsString(c) ? c->valuestring : NULL};
        for (size_t i = 0; i < 2; i++) {
            if (!texts[i])
                continue;
            if (runs(texts[i], live[payload])) {
                f->live++;
                f->example = f->example ? f->example : texts[i];
            }
            f->literal += strstr(texts[i], literal[payload]) != NULL;
        }
        scan(c, payload, f);
    }
}

/* "profiles/examples/" and the longest file name a directory holds. */
#define PROFILE_PATH (sizeof "profiles/examples/" + 256)

/* The shipped profiles that generate on their own (base.yaml is a part). */
static size_t shipped_profiles(char names[][PROFILE_PATH], size_t max)
{
    static const char *const dirs[] = {"profiles", "profiles/examples"};
    size_t n = 0;
    for (size_t d = 0; d < 2; d++) {
        DIR *dir = opendir(th_source(dirs[d]));
        for (struct dirent *e; dir && (e = readdir(dir)) && n < max;) {
            size_t len = strlen(e->d_name);
            if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") || !strcmp(e->d_name, "base.yaml"))
                continue;
            snprintf(names[n++], PROFILE_PATH, "%s/%s", dirs[d], e->d_name);
        }
        if (dir)
            closedir(dir);
    }
    return n;
}

static void test_every_setting_of_every_profile(void)
{
    /* the declared settings, core's and plugins', from one generation */
    th_run *decl = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(decl);
    char profiles[16][PROFILE_PATH];
    size_t profile_count = shipped_profiles(profiles, 16);
    CU_ASSERT_FATAL(profile_count >= 4);
    size_t keys = 0, written = 0, refused = 0, landed = 0;
    const pg_settings *s = &decl->g.ctx.settings;
    for (size_t k = 0; k < s->count; k++) {
        const pg_setting *d = s->entries[k].decl;
        if (d->type != PG_TYPE_STRING && d->type != PG_TYPE_LIST)
            continue;
        keys++;
        for (size_t p = 0; p < profile_count; p++)
            for (size_t v = 0; v < 2; v++) {
                char *set = pg_xasprintf(d->type == PG_TYPE_LIST ? "%s=[%s]" : "%s=%s", d->key,
                                         payloads[v]);
                const char *sets[] = {set, NULL};
                th_run *r = th_generate(profiles[p], sets);
                if (r->rc != 0) {
                    refused++; /* the setting's own validation: fine, if it says so */
                    CU_ASSERT(r->err.count > 0);
                } else {
                    written++;
                    findings f = {0};
                    for (size_t st = 0; st < PG_STACK_COUNT; st++)
                        scan(r->g.out.stacks[st], v, &f);
                    scan(r->g.manifest, v, &f);
                    landed += f.literal > 0;
                    if (f.live) {
                        fprintf(stderr, "\n  %s --set %s: Terraform would run \"%s\"\n",
                                profiles[p], set, f.example);
                        CU_FAIL("a profile value reached the output as a live template");
                    }
                }
                th_free(r);
                free(set);
            }
    }
    printf("\n  %zu string and list settings x %zu profiles x 2 payloads: %zu written literally "
           "(%zu of them visible in the output), %zu refused ",
           keys, profile_count, written, landed, refused);
    CU_ASSERT(keys >= 35);
    CU_ASSERT(landed > 0); /* the check above did look at values that arrived */
    th_free(decl);
}

/* A value from the file is escaped like one from --set. */
static void test_profile_file_values_are_escaped(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "extends: %s\n"
             "legacy:\n"
             "  subnet_ids: []\n"
             "  security_group_references: true\n"
             "  security_group_tag_value: app\n"
             "  subnet_tag_value: \"${file(\\\"/etc/passwd\\\")}\"\n"
             "  security_group_tag_key: \"%%{ if true }x%%{ endif }\"\n"
             "iam:\n"
             "  metric_namespaces: [\"Payment/${path.cwd}\"]\n",
             th_source("profiles/examples/from-rds-postgresql.yaml"));
    th_run *r = th_generate_text(yaml, NULL);
    TH_ASSERT_OK(r);
    const cJSON *subnets = th_data(r, "payment", "aws_subnets", "legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(subnets);
    TH_ASSERT_STR(subnets, "filter.0.values.0", "$${file(\"/etc/passwd\")}");
    const cJSON *groups = th_data(r, "payment", "aws_security_groups", "legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(groups);
    TH_ASSERT_STR(groups, "filter.0.name", "tag:%%{ if true }x%%{ endif }");
    findings f = {0};
    scan(r->g.out.stacks[PG_STACK_PAYMENT], 0, &f);
    CU_ASSERT_EQUAL(f.live, 0);
    /* The core reads the text as written: its checks and messages. */
    const pg_resolved *v = pg_settings_get(&r->g.ctx.settings, "legacy.subnet_tag_value");
    CU_ASSERT_STRING_EQUAL(v->raw, "${file(\"/etc/passwd\")}");
    CU_ASSERT_STRING_EQUAL(v->text, "$${file(\"/etc/passwd\")}");
    v = pg_settings_get(&r->g.ctx.settings, "iam.metric_namespaces");
    CU_ASSERT_STRING_EQUAL(v->raw_items[0], "Payment/${path.cwd}");
    CU_ASSERT_STRING_EQUAL(v->items[0], "Payment/$${path.cwd}");
    th_free(r);
}

/* Escaping is exact: text that is already "$${" stays what it was written
 * as (Terraform reads "$$${" as "$${"), and plain text is untouched. */
static void test_escape_round_trips(void)
{
    static const struct { const char *in, *out; } cases[] = {
        {"payment-legacy-app*", "payment-legacy-app*"},
        {"$${x}", "$$${x}"},
        {"a$", "a$"},
        {"100%", "100%"},
        {"${a}%{b}", "$${a}%%{b}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *set = pg_xasprintf("legacy.subnet_tag_value=%s", cases[i].in);
        const char *sets[] = {"legacy.subnet_ids=[]", set, NULL};
        th_run *r = th_generate("profiles/migration.yaml", sets);
        TH_ASSERT_OK(r);
        const cJSON *subnets = th_data(r, "payment", "aws_subnets", "legacy_use1");
        TH_ASSERT_STR(subnets, "filter.0.values.0", cases[i].out);
        th_free(r);
        free(set);
    }
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"every string and list setting of every profile", test_every_setting_of_every_profile},
        {"values from the profile file are escaped", test_profile_file_values_are_escaped},
        {"escaping round-trips", test_escape_round_trips},
        CU_TEST_INFO_NULL,
    };
    return th_main("escape", tests);
}
