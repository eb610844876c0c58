/* SPDX-License-Identifier: Apache-2.0 */
/* inputs.h - the generated documents paygen validate and paygen check read:
 * an output directory (manifest.json + stacks/<stack>/cdk.tf.json) or a
 * single cdk.tf.json file. */
#ifndef PG_INPUTS_H
#define PG_INPUTS_H

#include <cjson/cJSON.h>

#include "util.h"

typedef struct pg_input_doc {
    char *file;      /* as given or found, for messages */
    char *stack;     /* "payment": the directory above the file */
    cJSON *doc;
    int protection;  /* manifest profile.protection: 1, 0, or -1 when unknown */
    cJSON *waivers;  /* manifest profile.waivers ("RULE-ID: reason"), or NULL */
} pg_input_doc;

typedef struct pg_inputs {
    pg_input_doc *items;
    size_t count, cap;
} pg_inputs;

/* Adds the documents of path; errors (unreadable, bad JSON as FILE:LINE:COL)
 * go to err and make it return -1. */
int pg_inputs_add(pg_inputs *in, const char *path, pg_errors *err);
void pg_inputs_free(pg_inputs *in);

/* Parses text; on failure adds "file:LINE:COL: message" to err. */
cJSON *pg_parse_json_file(const char *file, const char *text, pg_errors *err);

#endif
