/* SPDX-License-Identifier: Apache-2.0 */
/* sha256_impl.h - between sha256.c and the CPU-specific rounds. */
#ifndef PG_SHA256_IMPL_H
#define PG_SHA256_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const uint32_t pg_sha256_k[64];

/* Runs the rounds over `blocks` 64-byte blocks, updating state. */
typedef void pg_sha256_blocks_fn(uint32_t state[8], const unsigned char *p, size_t blocks);

/* The rounds on the CPU's SHA extensions, or NULL when it has none. */
pg_sha256_blocks_fn *pg_sha256_blocks_native(void);

#endif
