/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_ecs.c - the guardrails of ECS: containers (privileged,
 * read-only root filesystem, secrets, logging), services without public IPs
 * and clusters with Container Insights. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"

typedef void (*container_fn)(pg_check_ctx *c, const char *address, const char *name, const cJSON *def);

static void each_container(pg_check_ctx *c, container_fn fn, bool report_opaque)
{
    PG_FOR_RES(c, "aws_ecs_task_definition", t)
    {
        char *a = pg_c_addr("aws_ecs_task_definition", t->string);
        const char *text = pg_c_str(t, "container_definitions");
        cJSON *defs = text ? cJSON_Parse(text) : NULL;
        if (!cJSON_IsArray(defs)) {
            if (report_opaque)
                pg_violation(c, a, "container_definitions is not literal JSON; cannot verify the containers");
        } else {
            const cJSON *d;
            cJSON_ArrayForEach(d, defs)
            {
                const char *name = pg_c_str(d, "name");
                fn(c, a, name ? name : "?", d);
            }
        }
        cJSON_Delete(defs);
        free(a);
    }
}

static void privileged(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (pg_c_true(d, "privileged"))
        pg_violation(c, a, "container %s is privileged", name);
}

static void readonly_root(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (!pg_c_true(d, "readonlyRootFilesystem"))
        pg_violation(c, a, "container %s: readonlyRootFilesystem is not true", name);
}

static bool secret_like(const char *name)
{
    static const char *const words[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY",
                                        "CREDENTIAL", NULL};
    char up[128];
    size_t i = 0;
    for (; i < sizeof up - 1 && name[i]; i++)
        up[i] = (char)((name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32 : name[i]);
    up[i] = '\0';
    for (i = 0; words[i]; i++)
        if (strstr(up, words[i]))
            return true;
    return false;
}

static void secrets(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, pg_c_path(d, "environment"))
    {
        const char *var = pg_c_str(e, "name"), *value = pg_c_str(e, "value");
        if (var && value && *value && secret_like(var))
            pg_violation(c, a, "container %s passes %s as a plain environment value (use secrets[].valueFrom)",
                         name, var);
    }
    cJSON_ArrayForEach(e, pg_c_path(d, "secrets"))
    {
        if (!pg_c_str(e, "valueFrom"))
            pg_violation(c, a, "container %s has a secret without valueFrom", name);
    }
}

static void log_configuration(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (!pg_c_str(d, "logConfiguration.logDriver"))
        pg_violation(c, a, "container %s has no logConfiguration", name);
}

void pg_rule_ecs_privileged(pg_check_ctx *c) { each_container(c, privileged, true); }
void pg_rule_ecs_readonly(pg_check_ctx *c) { each_container(c, readonly_root, false); }
void pg_rule_ecs_secrets(pg_check_ctx *c) { each_container(c, secrets, false); }
void pg_rule_ecs_logs(pg_check_ctx *c) { each_container(c, log_configuration, false); }

void pg_rule_ecs_public_ip(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ecs_service", s)
    {
        if (pg_c_true(s, "network_configuration.assign_public_ip"))
            VIOLATION(c, "aws_ecs_service", s, "assign_public_ip is true");
    }
}

void pg_rule_ecs_insights(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ecs_cluster", k)
    {
        const cJSON *settings = pg_c_path(k, "setting");
        const cJSON *one = cJSON_IsObject(settings) ? settings : NULL;
        bool on = false;
        for (const cJSON *s = one ? one : cJSON_IsArray(settings) ? settings->child : NULL; s; s = one ? NULL : s->next) {
            const char *n = pg_c_str(s, "name"), *v = pg_c_str(s, "value");
            on |= n && v && !strcmp(n, "containerInsights") && (!strcmp(v, "enabled") || !strcmp(v, "enhanced"));
        }
        if (!on)
            VIOLATION(c, "aws_ecs_cluster", k, "containerInsights is not enabled");
    }
}
