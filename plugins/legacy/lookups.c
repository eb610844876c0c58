/* SPDX-License-Identifier: Apache-2.0 */
/* lookups.c - what the output reads of today's platform, and only what
 * feeds something: the subnets the Transit Gateway attaches to, the
 * application groups when they are referenced across it, and today's state,
 * read to prove the profile describes the VPC that runs (a precondition). */
#include "legacy.h"

/* By the ids when the profile lists them, else by the tag; always inside
 * the legacy VPC. Published as a list expression: its length is known at
 * plan time only. */
static void lookup(pg_out *out, const pg_region *primary, const char *what, const char *type,
                   const char *id_filter, pg_list ids, const char *tag_key, const char *tag_value,
                   const char *vpc_id)
{
    bool by_id = ids.count > 0;
    cJSON *d = pg_data(out, primary, type, "legacy",
                       PG_IF(by_id,
                             PG_BLOCK("filter",
                                      PG_STR("name", id_filter),
                                      PG_STRV("values", ids.items, ids.count))),
                       PG_IF(!by_id,
                             PG_BLOCK("filter",
                                      PG_STR("name", pg_printf(out, "tag:%s", tag_key)),
                                      PG_STRS("values", tag_value))),
                       PG_BLOCK("filter",
                                PG_STR("name", "vpc-id"),
                                PG_STRS("values", vpc_id)));
    pg_publish_string(out, primary, pg_printf(out, "legacy.%s_ids", what), pg_ref(out, d, "ids"));
}

void legacy_lookups(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    lookup(out, primary, "subnet", "aws_subnets", "subnet-id", cfg->subnet_ids,
           cfg->subnet_tag_key, cfg->subnet_tag_value, cfg->vpc_id);
    /* An adopted cluster keeps admitting today's application through today's
     * groups: a reference is needed only towards a new cluster. */
    if (cfg->security_group_references && !legacy_adopts_cluster(cfg))
        lookup(out, primary, "security_group", "aws_security_groups", "group-id",
               cfg->security_group_ids, cfg->security_group_tag_key,
               cfg->security_group_tag_value, cfg->vpc_id);
}

/* terraform_remote_state is built into Terraform and reads the state object
 * (s3:GetObject on the key, kms:Decrypt with a customer key). defaults gives
 * the output a value when today's stack lacks it, so the precondition below
 * fails with its message instead of an "unsupported attribute" error. */
void legacy_state_check(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    if (!*cfg->state_bucket)
        return;
    const char *region = *cfg->state_region ? cfg->state_region : pg_ctx_primary(ctx)->name;
    const char *output = cfg->state_vpc_id_output;
    cJSON *state = pg_data(out, NULL, "terraform_remote_state", "legacy",
                           PG_STR("backend", "s3"),
                           PG_MAP("config",
                                  PG_STR("bucket", cfg->state_bucket),
                                  PG_STR("key", cfg->state_key),
                                  PG_STR("region", region)),
                           PG_MAP("defaults", PG_STR(output, "")));
    pg_resource(out, NULL, "terraform_data", "legacy_state_check",
                PG_MAP("lifecycle",
                       PG_BLOCK("precondition",
                                PG_STR("condition",
                                       pg_printf(out, "${%s.outputs[\"%s\"] == \"%s\"}",
                                                 pg_address(out, state), output, cfg->vpc_id)),
                                PG_STR("error_message",
                                       pg_printf(out,
                                                 "Today's Terraform state (legacy.state.bucket/key) "
                                                 "does not name VPC %s in its output '%s' (empty: "
                                                 "the output is missing): the profile's legacy "
                                                 "section does not describe the platform that runs.",
                                                 cfg->vpc_id, output)))));
}
