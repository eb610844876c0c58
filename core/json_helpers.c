/* json_helpers.c - builders for the JSON shapes every plugin writes. */
#include "paygen/paygen.h"

#include <stdarg.h>

cJSON *pg_strings(const char *first, ...)
{
    cJSON *list = cJSON_CreateArray();
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        cJSON_AddItemToArray(list, cJSON_CreateString(s));
    va_end(ap);
    return list;
}

static cJSON *block_list(cJSON *parent, const char *key)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!list)
        list = cJSON_AddArrayToObject(parent, key);
    return list;
}

cJSON *pg_statement(cJSON *policy_document, const char *sid, const char *effect, cJSON *actions,
                    cJSON *resources)
{
    cJSON *st = cJSON_CreateObject();
    if (sid)
        cJSON_AddStringToObject(st, "sid", sid);
    cJSON_AddStringToObject(st, "effect", effect ? effect : "Allow");
    if (actions)
        cJSON_AddItemToObject(st, "actions", actions);
    if (resources)
        cJSON_AddItemToObject(st, "resources", resources);
    cJSON_AddItemToArray(block_list(policy_document, "statement"), st);
    return st;
}

void pg_statement_principal(cJSON *statement, const char *type, cJSON *identifiers)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "type", type);
    cJSON_AddItemToObject(p, "identifiers", identifiers);
    cJSON_AddItemToArray(block_list(statement, "principals"), p);
}

void pg_statement_condition(cJSON *statement, const char *test, const char *variable, cJSON *values)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "test", test);
    cJSON_AddStringToObject(c, "variable", variable);
    cJSON_AddItemToObject(c, "values", values);
    cJSON_AddItemToArray(block_list(statement, "condition"), c);
}
