/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_deploy.h - what the deployability rules (check_rules_deploy*.c)
 * share: following a reference from an argument to the block it names, and
 * the aws provider a block runs in. */
#ifndef PG_CHECK_RULES_DEPLOY_H
#define PG_CHECK_RULES_DEPLOY_H

#include "check_internal.h"

/* The label of the first reference to a block of type ("aws_vpc",
 * "data.aws_vpc") in the strings below node, copied into label; false when
 * there is none. */
bool pg_d_ref(const cJSON *node, const char *type, char *label, size_t size);
/* The block of type (a resource) that node references, or NULL. */
const cJSON *pg_d_target(const pg_check_ctx *c, const cJSON *node, const char *type);
/* The provider of a block: its "provider" argument, "aws" when unset. */
const char *pg_d_provider(const cJSON *block);

#endif
