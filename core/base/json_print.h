/* SPDX-License-Identifier: Apache-2.0 */
/* json_print.h - JSON text the way people diff it (json_print.c). */
#ifndef PG_JSON_PRINT_H
#define PG_JSON_PRINT_H

#include <cjson/cJSON.h>

/* Two-space indented JSON with a final newline (malloc'ed). */
char *pg_json_print(const cJSON *node);

#endif
