/* SPDX-License-Identifier: Apache-2.0 */
/* dns.h - shared between the files of the dns plugin. dns.c calls
 * dns_weights.c; dns_weights.c calls nothing of dns.c. */
#ifndef PG_DNS_H
#define PG_DNS_H

#include <paygen/paygen.h>

/* Settings of one run. */
typedef struct dns_config {
    const char *health_check_path;
    const char *health_check_interval; /* a choice: "10" or "30" seconds */
    long migration_secondary_weight;
    long production_secondary_weight;
    bool ipv6;
} dns_config;

/* Declares var.weight_<code> for every active region with its phase default
 * and a 0..255 integer validation, var.weight_legacy the same way when
 * today's endpoint is a target (legacy), plus a terraform_data guard whose
 * precondition fails the plan when every weight is 0. */
void dns_weight_variables(const pg_ctx *ctx, pg_out *out, const dns_config *cfg, bool legacy);

/* "${var.weight_<code>}" */
const char *dns_weight_ref(pg_out *out, const pg_region *region);

/* The set identifier and weight variable of today's endpoint. */
#define DNS_LEGACY "legacy"
#define DNS_LEGACY_WEIGHT_REF "${var.weight_legacy}"

#endif
