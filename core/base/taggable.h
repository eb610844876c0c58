/* SPDX-License-Identifier: Apache-2.0 */
/* taggable.h - whether an AWS resource type takes tags (R13: each needs a Name). */
#ifndef PG_TAGGABLE_H
#define PG_TAGGABLE_H

#include <stdbool.h>

bool pg_type_is_taggable(const char *type);

#endif
