/* SPDX-License-Identifier: Apache-2.0 */
/* check_policy.c - IAM policy statements for the rules: from an
 * aws_iam_policy_document data source (by reference) or from literal policy
 * JSON, each reduced to what the guardrails look at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

static bool condition_denies_insecure(const cJSON *variable, const cJSON *values)
{
    return cJSON_IsString(variable) && !strcmp(variable->valuestring, "aws:SecureTransport") &&
           (pg_c_list_has(values, "false") || cJSON_IsFalse(values));
}

void pg_c_doc_statements(pg_check_ctx *c, const cJSON *doc, const char *address, pg_stmt_fn fn, void *user)
{
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(doc, "statement");
    const cJSON *one = cJSON_IsObject(sts) ? sts : NULL;
    size_t i = 0;
    for (const cJSON *st = one ? one : cJSON_IsArray(sts) ? sts->child : NULL; st; st = one ? NULL : st->next) {
        pg_stmt s = {.index = i++};
        const char *effect = pg_c_str(st, "effect");
        s.deny = effect && !strcmp(effect, "Deny");
        s.actions = cJSON_GetObjectItemCaseSensitive(st, "actions");
        s.resources = cJSON_GetObjectItemCaseSensitive(st, "resources");
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "principals");
        const cJSON *p;
        const cJSON *plist[2] = {pr, cJSON_GetObjectItemCaseSensitive(st, "not_principals")};
        for (size_t k = 0; k < 2; k++) {
            if (cJSON_IsObject(plist[k]) || (cJSON_IsArray(plist[k]) && plist[k]->child))
                s.has_principal = true;
        }
        if (cJSON_IsObject(pr))
            s.star_principal = pg_c_list_has(cJSON_GetObjectItemCaseSensitive(pr, "identifiers"), "*");
        else
            cJSON_ArrayForEach(p, pr) s.star_principal |=
                pg_c_list_has(cJSON_GetObjectItemCaseSensitive(p, "identifiers"), "*");
        const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "condition");
        s.has_condition = cJSON_IsObject(cond) || (cJSON_IsArray(cond) && cond->child);
        if (cJSON_IsObject(cond))
            s.denies_insecure_transport = condition_denies_insecure(cJSON_GetObjectItemCaseSensitive(cond, "variable"),
                                                                    cJSON_GetObjectItemCaseSensitive(cond, "values"));
        else
            cJSON_ArrayForEach(p, cond) s.denies_insecure_transport |= condition_denies_insecure(
                cJSON_GetObjectItemCaseSensitive(p, "variable"), cJSON_GetObjectItemCaseSensitive(p, "values"));
        s.denies_insecure_transport &= s.deny;
        fn(c, address, &s, user);
    }
}

static void json_statement(pg_check_ctx *c, const char *address, const cJSON *st, size_t index, pg_stmt_fn fn,
                           void *user)
{
    pg_stmt s = {.index = index};
    const char *effect = pg_c_str(st, "Effect");
    s.deny = effect && !strcmp(effect, "Deny");
    s.actions = cJSON_GetObjectItemCaseSensitive(st, "Action");
    s.resources = cJSON_GetObjectItemCaseSensitive(st, "Resource");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
    s.has_principal = pr || cJSON_GetObjectItemCaseSensitive(st, "NotPrincipal");
    if (cJSON_IsString(pr))
        s.star_principal = !strcmp(pr->valuestring, "*");
    const cJSON *p, *pmap = cJSON_IsObject(pr) ? pr : NULL;
    cJSON_ArrayForEach(p, pmap) s.star_principal |= pg_c_list_has(p, "*");
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
    s.has_condition = cJSON_IsObject(cond) && cond->child;
    const cJSON *op;
    cJSON_ArrayForEach(op, cond)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, "aws:SecureTransport");
        if (v && (cJSON_IsFalse(v) || pg_c_list_has(v, "false")))
            s.denies_insecure_transport = s.deny;
    }
    fn(c, address, &s, user);
}

int pg_c_statements(pg_check_ctx *c, const cJSON *policy, const char *owner, pg_stmt_fn fn, void *user)
{
    if (!cJSON_IsString(policy))
        return -1;
    const char *s = policy->valuestring;
    const char *prefix = "${data.aws_iam_policy_document.";
    if (pg_str_starts_with(s, prefix)) {
        char label[128];
        size_t n = strcspn(s + strlen(prefix), ".}");
        snprintf(label, sizeof label, "%.*s", (int)n, s + strlen(prefix));
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(pg_c_type(c, true, "aws_iam_policy_document"), label);
        if (!doc)
            return -1;
        char *address = pg_xasprintf("data.aws_iam_policy_document.%s", label);
        pg_c_doc_statements(c, doc, address, fn, user);
        free(address);
        return 0;
    }
    cJSON *json = cJSON_Parse(s);
    if (!json)
        return -1;
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(json, "Statement");
    if (cJSON_IsObject(sts)) {
        json_statement(c, owner, sts, 0, fn, user);
    } else {
        size_t i = 0;
        const cJSON *st;
        cJSON_ArrayForEach(st, sts) json_statement(c, owner, st, i++, fn, user);
    }
    cJSON_Delete(json);
    return 0;
}
