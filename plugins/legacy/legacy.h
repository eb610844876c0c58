/* SPDX-License-Identifier: Apache-2.0 */
/* legacy.h - the legacy.* settings and the files of the legacy plugin:
 * legacy.c publishes, check.c validates, lookups.c writes the data sources
 * and the state check. Neither helper calls back into legacy.c. */
#ifndef PG_LEGACY_H
#define PG_LEGACY_H

#include <paygen/paygen.h>

typedef struct legacy_database {
    const char *kind; /* "none", "aurora-postgresql", "rds-postgresql" */
    const char *move; /* "", "replica", "dms" */
    const char *identifier, *engine_version, *kms_key_arn;
    long port;
    const char *subnet_group;
    pg_list security_group_ids;
    const char *master_username;
    pg_list instance_identifiers;
    const char *secret_arn;
} legacy_database;

typedef struct legacy_config {
    const char *vpc_id, *cidr;
    pg_list subnet_ids;
    const char *subnet_tag_key, *subnet_tag_value;
    pg_list route_table_ids;
    pg_list security_group_ids;
    const char *security_group_tag_key, *security_group_tag_value;
    bool security_group_references;
    legacy_database database;
    const char *endpoint_dns_name, *endpoint_zone_id;
    const char *state_bucket, *state_key, *state_region, *state_vpc_id_output;
} legacy_config;

/* Is a database described, and is it the Aurora cluster that is adopted? */
bool legacy_has_database(const legacy_config *cfg);
bool legacy_adopts_cluster(const legacy_config *cfg);
/* "adopt", "replica" or "dms"; NULL without a database. */
const char *legacy_move(const legacy_config *cfg);

/* check.c: every rule of the section, all problems reported. */
int legacy_check(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg);

/* lookups.c: the subnets (and, with references, the security groups) of the
 * legacy VPC, published as list expressions; the legacy state read to prove
 * the profile describes the platform that runs. */
void legacy_lookups(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg);
void legacy_state_check(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg);

#endif
