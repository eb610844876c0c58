/* SPDX-License-Identifier: Apache-2.0 */
/* inputs.h - the generated documents paygen validate, check and diff read:
 * an output directory (manifest.json + stacks/<stack>/cdk.tf.json) or a
 * single cdk.tf.json file; read only as paygen writes them (inputs.c). */
#ifndef PG_INPUTS_H
#define PG_INPUTS_H

#include <cjson/cJSON.h>

#include "util.h"

/* The largest document read (manifest or stack). paygen's own stacks are
 * far smaller (production's payment stack: about 260 KB); the limit is
 * there so that /dev/zero or a runaway file fails at once instead of
 * exhausting memory. */
#define PG_INPUT_MAX_BYTES ((long long)64 << 20)

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
    size_t refused;  /* documents named or found but not added (see below) */
} pg_inputs;

/* Adds the documents of path; errors go to err and make it return -1:
 * unreadable, not a regular file, over PG_INPUT_MAX_BYTES, bad JSON (as
 * FILE:LINE:COL), a duplicate key, a manifest path other than
 * stacks/NAME/cdk.tf.json, a symlinked stack directory, or another file in
 * a stack directory that Terraform would load (each named). A refused
 * document is not added; it is counted in refused (a stack file or a file
 * given, not a manifest). */
int pg_inputs_add(pg_inputs *in, const char *path, pg_errors *err);
void pg_inputs_free(pg_inputs *in);

/* Parses text; on failure adds "file:LINE:COL: message" to err. A document
 * with a duplicate key or a \u0000 in a string is refused too: paygen's
 * tools would not read what Terraform reads. */
cJSON *pg_parse_json_file(const char *file, const char *text, pg_errors *err);

#endif
