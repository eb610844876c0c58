/* dns.h - pieces of the dns plugin shared between its files. */
#ifndef PG_DNS_H
#define PG_DNS_H

#include <paygen/paygen.h>

/* The default weight of a region's record in this phase: the primary gets the
 * rest of 100 after the secondaries' share. */
long dns_default_weight(const pg_ctx *ctx, const pg_region *region);

/* Declares var.weight_<code> for every active region with its phase default
 * and a 0..255 integer validation, plus a terraform_data guard whose
 * precondition fails the plan when every weight is 0. */
void dns_weight_variables(const pg_ctx *ctx, pg_out *out);

/* "${var.weight_<code>}" */
const char *dns_weight_ref(pg_out *out, const pg_region *region);

#endif
