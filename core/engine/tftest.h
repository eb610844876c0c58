/* SPDX-License-Identifier: Apache-2.0 */
/* tftest.h - offline `terraform test` files for a generated stack (paygen
 * generate --tests): the AWS provider mocked for every alias of the stack,
 * with well-formed values where the provider validates them, the remote
 * state overridden, the required variables given, and the runs that show
 * the stack plans (and, when nothing in it is protected from destruction,
 * applies and is destroyed) with no AWS account at all. tftest.c says what
 * each file holds and why. */
#ifndef PG_TFTEST_H
#define PG_TFTEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Below stacks/<stack>/: terraform test reads tests/ by default. */
#define PG_TFTEST_DIR "tests"
#define PG_TFTEST_FILE "paygen.tftest.json"

/* The account id every mocked ARN and the aws_caller_identity mock carry. */
#define PG_TFTEST_ACCOUNT "123456789012"

typedef struct pg_tftest {
    cJSON *doc;              /* tests/paygen.tftest.json */
    const char *environment; /* the workspace the guard wants (in stack); NULL without a guard */
    bool applies;            /* it applies (and terraform test destroys at teardown) */
} pg_tftest;

/* The test document of a finished stack, sorted as the writer prints every
 * document: the same stack always gives the same bytes. */
void pg_tftest_build(pg_tftest *t, const cJSON *stack);
void pg_tftest_free(pg_tftest *t);

/* The mock table, for the test that keeps it honest against the provider
 * schema: row i of the resources (data false) or data sources, its type,
 * attribute and value format (NULL: the type is known to have no ARN to
 * mock). Returns false past the last row. */
bool pg_tftest_mock_row(bool data, size_t i, const char **type, const char **attr, const char **format);

#endif
