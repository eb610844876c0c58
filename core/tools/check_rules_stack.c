/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_stack.c - the guardrails over every resource of a stack: no
 * literal secrets in any argument, and the migration tags on each aws
 * provider and a Name tag on each taggable resource. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"
#include "taggable.h"

/* Argument names that hold credentials: a literal value there is a secret in
 * the file (and in every copy of it). */
static bool secret_argument(const char *name)
{
    static const char *const words[] = {"password", "secret_string", "secret_binary", "private_key",
                                        "access_key", "secret_key", "token", "auth"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(name, words[i]))
            return true;
    return false;
}

static void find_literal_secrets(pg_check_ctx *c, const char *type, const cJSON *block, const cJSON *node)
{
    for (const cJSON *v = node->child; v; v = v->next) {
        if (v->string && !strcmp(v->string, "lifecycle"))
            continue; /* ignore_changes names arguments, it holds no values */
        if (cJSON_IsString(v) && v->string && secret_argument(v->string) && *v->valuestring &&
            !strstr(v->valuestring, "${"))
            VIOLATION(c, type, block, "%s is a literal value: a secret written into the file", v->string);
        else if (cJSON_IsObject(v) || cJSON_IsArray(v))
            find_literal_secrets(c, type, block, v);
    }
}

void pg_rule_no_literal_secrets(pg_check_ctx *c)
{
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
    for (const cJSON *t = types ? types->child : NULL; t; t = t->next)
        for (const cJSON *b = t->child; b; b = b->next)
            find_literal_secrets(c, t->string, b, b);
}

/* R13: every resource carries the migration tags (provider default_tags)
 * and a Name of its own. */
void pg_rule_tags_present(pg_check_ctx *c)
{
    static const char *const required[] = {"Project", "Environment", "MigrationPhase", "CutoverTimestamp",
                                           "Suffix", "ManagedBy"};
    const cJSON *providers = pg_c_path(c->doc, "provider");
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(providers, "aws");
    const cJSON *list = cJSON_IsArray(aws) ? aws : NULL;
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        const cJSON *tags = pg_c_path(p, "default_tags.tags");
        const char *alias = pg_c_str(p, "alias");
        char *where = pg_xasprintf("provider.aws%s%s", alias ? "." : "", alias ? alias : "");
        for (size_t i = 0; i < sizeof required / sizeof *required; i++)
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tags, required[i])))
                pg_violation(c, where, "default_tags has no %s tag", required[i]);
        free(where);
    }
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
    for (const cJSON *t = types ? types->child : NULL; t; t = t->next) {
        if (!pg_type_is_taggable(t->string))
            continue;
        for (const cJSON *b = t->child; b; b = b->next)
            if (!cJSON_IsString(pg_c_path(b, "tags.Name")))
                VIOLATION(c, t->string, b, "no Name tag");
    }
}
