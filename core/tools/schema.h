/* SPDX-License-Identifier: Apache-2.0 */
/* schema.h - the AWS provider schema (`terraform providers schema -json`),
 * loaded once and indexed by type name for paygen validate. */
#ifndef PG_SCHEMA_H
#define PG_SCHEMA_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "util.h"

typedef struct pg_schema pg_schema;

/* Plain JSON, or gzip when the name ends in .gz. NULL with a message in err. */
pg_schema *pg_schema_load(const char *path, pg_errors *err);
void pg_schema_free(pg_schema *s);

/* The "block" object of a resource (data false) or data source type; NULL if
 * unknown. terraform_data and data terraform_remote_state are always known. */
const cJSON *pg_schema_block(const pg_schema *s, bool data, const char *type);
/* The known type closest to type, or NULL when nothing is close. */
const char *pg_schema_suggest(const pg_schema *s, bool data, const char *type);

/* Terraform's built-in types (terraform_data, data terraform_remote_state),
 * known with or without a provider schema: a new tree the caller deletes,
 * and the block of one type in it (NULL if not built in). */
cJSON *pg_schema_builtins(void);
const cJSON *pg_schema_builtin_block(const cJSON *builtins, bool data, const char *type);
bool pg_schema_is_builtin(bool data, const char *type);

/* Blocks the schema could not describe: do not look inside them. */
bool pg_schema_opaque(const cJSON *block);
/* Attributes the schema invented ("id" on some framework types). */
bool pg_schema_synthetic(const cJSON *attribute);

/* Whole file as text (gzip -dc when the name ends in .gz); NULL with a message. */
char *pg_read_text(const char *path, pg_errors *err);

#endif
