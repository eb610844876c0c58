/* SPDX-License-Identifier: Apache-2.0 */
/* validate.h - paygen validate: what can be checked in a generated stack
 * without AWS (Terraform JSON structure, templates, references, names and
 * tags) and, given the provider schema, types, arguments and blocks. */
#ifndef PG_VALIDATE_H
#define PG_VALIDATE_H

#include <cjson/cJSON.h>

#include "schema.h"
#include "util.h"

/* Findings as "STACK/ADDRESS.ARGUMENT: message" appended to errors or
 * warnings; returns the number of errors added. schema may be NULL (then no
 * file I/O and no allocation unless something is found). */
size_t pg_validate_stack(const cJSON *doc, const char *stack, const pg_schema *schema,
                         pg_errors *errors, pg_errors *warnings);

#endif
