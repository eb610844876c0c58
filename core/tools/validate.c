/* SPDX-License-Identifier: Apache-2.0 */
/* validate.c - the entry of paygen validate: runs the checks of one stack in
 * order (duplicate keys, top-level keys, resource and data blocks, the other
 * blocks). The checks live below it, declared in validate_internal.h, and
 * never call back into this file. */
#include "validate.h"

#include <stdlib.h>

#include "validate_internal.h"

size_t pg_validate_stack(const cJSON *doc, const char *stack, const pg_schema *schema, pg_errors *errors,
                         pg_errors *warnings)
{
    pg_vstate v = {.doc = doc, .stack = stack, .schema = schema, .errors = errors, .warnings = warnings};
    if (!cJSON_IsObject(doc)) {
        pg_errors_add(errors, "%s: the document is not a JSON object", stack);
        return 1;
    }
    pg_v_duplicates(&v, NULL, doc);
    pg_v_top(&v);
    pg_v_blocks(&v, false);
    pg_v_blocks(&v, true);
    pg_v_others(&v);
    pg_v_imports(&v);
    pg_v_values(&v);
    cJSON_Delete(v.builtins);
    free(v.members);
    pg_hashtab_free(&v.member_index);
    free(v.iterators);
    return v.error_count;
}
