/* SPDX-License-Identifier: Apache-2.0 */
/* dupkeys.h - duplicate keys in a parsed JSON document. cJSON keeps every
 * copy of a key and its lookups return the first; Terraform merges block
 * keys or refuses a repeated argument. What paygen's tools read would not be
 * what Terraform applies, so the readers refuse such documents. */
#ifndef PG_DUPKEYS_H
#define PG_DUPKEYS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* At most this many duplicates are named one by one, then a count. */
#define PG_DUPKEYS_SHOWN 10

/* Adds "file: duplicate key PATH ..." to err for each key that appears more
 * than once in one object of root (PATH like resource.aws_vpc.main.tags or
 * ingress[0]); returns how many keys were duplicated. O(n log n) per object. */
size_t pg_dupkeys_report(const cJSON *root, const char *file, pg_errors *err);

/* Sets repeated[i] for each member i of object (an array of at least
 * cJSON_GetArraySize(object)) whose key an earlier member has: the same
 * sort as pg_dupkeys_report, for callers that report in document order
 * (validate). Leaves repeated alone unless object is an object. */
void pg_dupkeys_mark(const cJSON *object, bool *repeated);

#endif
