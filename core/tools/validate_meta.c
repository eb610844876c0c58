/* SPDX-License-Identifier: Apache-2.0 */
/* validate_meta.c - the meta-arguments of a block: depends_on (bare
 * references to declared blocks), provider (a configured provider or alias)
 * and lifecycle; and the import blocks that name those blocks. */
#include <string.h>

#include "validate_internal.h"

static void check_bare_ref(pg_vstate *v, const pg_vpath *path, const cJSON *item)
{
    if (!cJSON_IsString(item)) {
        pg_v_error(v, path, "must be a bare reference string");
        return;
    }
    const char *s = item->valuestring;
    if (strstr(s, "${")) {
        pg_v_error(v, path, "must be a bare reference (like aws_vpc.main), not \"${...}\": \"%s\"", s);
        return;
    }
    char buf[256];
    pg_v_copy(buf, sizeof buf, s, strlen(s));
    char *parts[4] = {0};
    size_t n = 0;
    for (char *p = strtok(buf, "."); p && n < 4; p = strtok(NULL, "."))
        parts[n++] = p;
    const cJSON *res = pg_v_lookup(v, v->doc, "resource"), *data = pg_v_lookup(v, v->doc, "data");
    bool ok;
    if (n >= 2 && !strcmp(parts[0], "module"))
        ok = pg_v_lookup(v, pg_v_lookup(v, v->doc, "module"), parts[1]) != NULL;
    else if (n >= 3 && !strcmp(parts[0], "data"))
        ok = pg_v_lookup(v, pg_v_lookup(v, data, parts[1]), parts[2]) != NULL;
    else if (n >= 2)
        ok = pg_v_lookup(v, pg_v_lookup(v, res, parts[0]), parts[1]) != NULL;
    else
        ok = false;
    if (!ok)
        pg_v_error(v, path, "reference to undeclared %s", s);
}

void pg_v_depends_on(pg_vstate *v, const pg_vpath *path, const cJSON *deps)
{
    pg_vpath p = pg_v_key(path, "depends_on");
    if (!cJSON_IsArray(deps)) {
        pg_v_error(v, &p, "must be an array of bare references");
        return;
    }
    const cJSON *d;
    cJSON_ArrayForEach(d, deps) check_bare_ref(v, &p, d);
}

/* provider = "aws" or "aws.alias" naming a configured provider block. */
void pg_v_provider_ref(pg_vstate *v, const pg_vpath *path, const cJSON *value)
{
    if (!cJSON_IsString(value)) {
        pg_v_error(v, path, "must be a bare provider reference such as aws.use2");
        return;
    }
    const char *s = value->valuestring;
    if (strstr(s, "${")) {
        pg_v_error(v, path, "must be a bare provider reference (like aws.use2), not \"${...}\": \"%s\"", s);
        return;
    }
    const char *dot = strchr(s, '.');
    char name[128];
    pg_v_copy(name, sizeof name, s, dot ? (size_t)(dot - s) : strlen(s));
    if (!dot)
        return; /* the default configuration exists implicitly */
    const cJSON *blocks = pg_v_lookup(v, pg_v_lookup(v, v->doc, "provider"), name);
    const cJSON *b;
    if (cJSON_IsObject(blocks)) {
        const cJSON *alias = cJSON_GetObjectItemCaseSensitive(blocks, "alias");
        if (cJSON_IsString(alias) && !strcmp(alias->valuestring, dot + 1))
            return;
    } else if (cJSON_IsArray(blocks)) {
        cJSON_ArrayForEach(b, blocks)
        {
            const cJSON *alias = cJSON_GetObjectItemCaseSensitive(b, "alias");
            if (cJSON_IsString(alias) && !strcmp(alias->valuestring, dot + 1))
                return;
        }
    }
    pg_v_error(v, path, "provider %s is not configured (no provider \"%s\" block with alias \"%s\")", s, name,
               dot + 1);
}

void pg_v_lifecycle(pg_vstate *v, const pg_vpath *path, const cJSON *lc)
{
    static const char *const keys[] = {"create_before_destroy", "prevent_destroy", "ignore_changes",
                                       "replace_triggered_by", "precondition", "postcondition", NULL};
    pg_vpath p = pg_v_key(path, "lifecycle");
    if (!pg_v_is_object_or_objects(lc)) {
        pg_v_error(v, &p, "must be an object");
        return;
    }
    pg_v_iter it;
    pg_v_iter_init(&it, lc);
    for (const cJSON *c; (c = pg_v_iter_next(&it));) {
        pg_vpath q = pg_v_key(&p, c->string);
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], c->string))
            k++;
        if (!keys[k]) {
            pg_v_error(v, &q, "unknown lifecycle argument");
        } else if (k < 2) {
            if (!cJSON_IsBool(c) && !(cJSON_IsString(c) && strstr(c->valuestring, "${")))
                pg_v_error(v, &q, "must be a bool");
        } else if (k == 2) {
            if (cJSON_IsString(c) && !strcmp(c->valuestring, "all"))
                continue;
            if (!cJSON_IsArray(c)) {
                pg_v_error(v, &q, "must be \"all\" or an array of attribute names");
                continue;
            }
            const cJSON *a;
            cJSON_ArrayForEach(a, c)
            {
                if (!cJSON_IsString(a))
                    pg_v_error(v, &q, "must hold attribute names");
                else if (strstr(a->valuestring, "${"))
                    pg_v_error(v, &q, "must be a bare attribute name, not \"${...}\": \"%s\"", a->valuestring);
            }
        } else {
            bool self_ok = v->allow_self;
            v->allow_self = k == 5;
            pg_v_scan_tree(v, &q, c, NULL);
            v->allow_self = self_ok;
        }
    }
}

/* import { to = <declared resource>, id = "...", provider = ... }: a target
 * the stack does not declare, a data source or a second import of one
 * address fails terraform plan. */
void pg_v_imports(pg_vstate *v)
{
    const cJSON *imports = pg_v_member(v->doc, "import");
    const pg_vpath top = pg_v_key(NULL, "import");
    if (!imports)
        return;
    if (!cJSON_IsArray(imports)) {
        pg_v_error(v, &top, "must be an array of import blocks");
        return;
    }
    size_t i = 0;
    const cJSON *imp;
    cJSON_ArrayForEach(imp, imports)
    {
        pg_vpath p = pg_v_index(&top, i++);
        const cJSON *to = pg_v_member(imp, "to"), *id = pg_v_member(imp, "id");
        pg_vpath to_path = pg_v_key(&p, "to");
        if (!cJSON_IsString(id) || !*id->valuestring)
            pg_v_error(v, &p, "import without an \"id\"");
        if (!cJSON_IsString(to) || pg_str_starts_with(to->valuestring, "data.")) {
            pg_v_error(v, &to_path, "must name a managed resource (like aws_rds_cluster.main)");
            continue;
        }
        check_bare_ref(v, &to_path, to);
        const cJSON *other;
        cJSON_ArrayForEach(other, imports)
        {
            if (other == imp)
                break;
            const cJSON *to2 = pg_v_member(other, "to");
            if (cJSON_IsString(to2) && !strcmp(to2->valuestring, to->valuestring))
                pg_v_error(v, &to_path, "%s is imported twice", to->valuestring);
        }
        const cJSON *provider = pg_v_member(imp, "provider");
        if (provider) {
            pg_vpath q = pg_v_key(&p, "provider");
            pg_v_provider_ref(v, &q, provider);
        }
    }
}
