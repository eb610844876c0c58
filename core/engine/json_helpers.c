/* SPDX-License-Identifier: Apache-2.0 */
/* json_helpers.c - small JSON values plugins pass to the builder. */
#include "paygen/paygen.h"

#include <stdarg.h>

cJSON *pg_strings_(const char *first, ...)
{
    cJSON *list = cJSON_CreateArray();
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        cJSON_AddItemToArray(list, cJSON_CreateString(s));
    va_end(ap);
    return list;
}
