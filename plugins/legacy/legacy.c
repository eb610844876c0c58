/* SPDX-License-Identifier: Apache-2.0 */
/* legacy - what the new platform reads from today's footprint (R4), in the
 * legacy and migration phases; production no longer needs it and gets
 * nothing from this plugin. See docs/network.md.
 *
 * In the primary region: aws_security_groups and aws_subnets data sources
 * that find the legacy application security groups and subnets, either by id
 * (legacy.security_group_ids, legacy.subnet_ids) or by a tag
 * (legacy.*_tag_key / legacy.*_tag_value, wildcards allowed), optionally
 * narrowed to the legacy VPC (legacy.vpc_id); and a terraform_remote_state
 * data source on the legacy stack's S3 state (legacy.state_bucket,
 * legacy.state_key, legacy.state_region) for its outputs.
 *
 * Publishes, in the primary region: legacy.security_group_ids and
 * legacy.subnet_ids. The number of ids a lookup finds is known only at plan
 * time, so each is a Terraform list expression ("${data.aws_subnets.x.ids}"),
 * usable as the whole value of a list argument. */
#include <ctype.h>
#include <paygen/paygen.h>
#include <string.h>

typedef struct legacy_config {
    const char *vpc_id;
    pg_list security_group_ids;
    const char *security_group_tag_key, *security_group_tag_value;
    pg_list subnet_ids;
    const char *subnet_tag_key, *subnet_tag_value;
    const char *state_bucket, *state_key, *state_region;
} legacy_config;

/* "vpc-0abc..." : the prefix and 8 or 17 lowercase hex digits. */
static bool valid_id(const char *id, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (!id || strncmp(id, prefix, pl))
        return false;
    const char *hex = id + pl;
    size_t n = strlen(hex);
    if (n != 8 && n != 17)
        return false;
    for (; *hex; hex++)
        if (!isdigit((unsigned char)*hex) && !(*hex >= 'a' && *hex <= 'f'))
            return false;
    return true;
}

static bool valid_bucket(const char *b)
{
    size_t n = strlen(b);
    if (n < 3 || n > 63 || !isalnum((unsigned char)b[0]) || !isalnum((unsigned char)b[n - 1]))
        return false;
    for (const char *p = b; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '.')
            return false;
    return !strstr(b, "..");
}

/* "us-east-1", "eu-central-2", "us-gov-west-1". */
static bool valid_region(const char *r)
{
    size_t n = strlen(r), dashes = 0;
    if (n < 9 || n > 20 || !isdigit((unsigned char)r[n - 1]) || !islower((unsigned char)r[0]))
        return false;
    for (const char *p = r; *p; p++) {
        if (*p == '-')
            dashes++;
        else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
            return false;
    }
    return dashes >= 2 && !strstr(r, "--");
}

/* One data source that finds legacy resources by id or by tag. */
typedef struct lookup {
    const char *what;      /* "security_group", "subnet": setting and reference names */
    const char *type;      /* "aws_security_groups", "aws_subnets" */
    const char *id_prefix; /* "sg-", "subnet-" */
    const char *id_filter; /* "group-id", "subnet-id" */
    pg_list ids;
    const char *tag_key, *tag_value;
} lookup;

static int check_lookup(pg_out *out, const lookup *k)
{
    int rc = 0;
    const char *ids_key = pg_printf(out, "legacy.%s_ids", k->what);
    for (size_t i = 0; i < k->ids.count; i++)
        if (!valid_id(k->ids.items[i], k->id_prefix))
            rc = pg_fail(out, "%s: '%s' is not a %s id (%s and 8 or 17 hex digits)", ids_key,
                         k->ids.items[i], k->what, k->id_prefix);
    if (k->ids.count)
        return rc;
    if (!*k->tag_key || strlen(k->tag_key) > 128)
        rc = pg_fail(out, "legacy.%s_tag_key must be a tag key of 1-128 characters when %s is empty",
                     k->what, ids_key);
    if (!*k->tag_value || strlen(k->tag_value) > 256)
        rc = pg_fail(out, "legacy.%s_tag_value must be a tag value of 1-256 characters when %s is "
                          "empty", k->what, ids_key);
    return rc;
}

static int check(const legacy_config *cfg, pg_out *out, const lookup *lookups, size_t count)
{
    int rc = 0;
    if (*cfg->vpc_id && !valid_id(cfg->vpc_id, "vpc-"))
        rc = pg_fail(out, "legacy.vpc_id = '%s' is not a VPC id (vpc- and 8 or 17 hex digits), or "
                          "empty to search the whole region", cfg->vpc_id);
    for (size_t l = 0; l < count; l++)
        if (check_lookup(out, &lookups[l]) < 0)
            rc = -1;
    if (!valid_bucket(cfg->state_bucket))
        rc = pg_fail(out, "legacy.state_bucket = '%s' is not an S3 bucket name (3-63 lowercase "
                          "letters, digits, '.' or '-')", cfg->state_bucket);
    const char *key = cfg->state_key;
    if (!*key || key[0] == '/' || strlen(key) > 1024)
        rc = pg_fail(out, "legacy.state_key = '%s' must be an object key such as "
                          "legacy/terraform.tfstate (not empty, no leading '/')", key);
    if (*cfg->state_region && !valid_region(cfg->state_region))
        rc = pg_fail(out, "legacy.state_region = '%s' is not a region name like us-east-1 (empty: "
                          "the primary region)", cfg->state_region);
    return rc;
}

/* By the ids when the profile lists them, else by the tag; in the legacy VPC
 * when one is given. */
static void add_lookup(pg_out *out, const pg_region *primary, const lookup *k, const char *vpc_id)
{
    bool by_id = k->ids.count > 0;
    cJSON *d = pg_data(out, primary, k->type, "legacy",
                       PG_IF(by_id,
                             PG_BLOCK("filter",
                                      PG_STR("name", k->id_filter),
                                      PG_STRV("values", k->ids.items, k->ids.count))),
                       PG_IF(!by_id,
                             PG_BLOCK("filter",
                                      PG_STR("name", pg_printf(out, "tag:%s", k->tag_key)),
                                      PG_STRS("values", k->tag_value))),
                       PG_IF(*vpc_id,
                             PG_BLOCK("filter",
                                      PG_STR("name", "vpc-id"),
                                      PG_STRS("values", vpc_id))));
    /* A list expression, as a string: its length is known at plan time only. */
    pg_publish_string(out, primary, pg_printf(out, "legacy.%s_ids", k->what), pg_ref(out, d, "ids"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (pg_ctx_phase(ctx) == PG_PHASE_PRODUCTION)
        return 0;
    const legacy_config *cfg = pg_config(ctx);
    const lookup lookups[] = {
        {"security_group", "aws_security_groups", "sg-", "group-id", cfg->security_group_ids,
         cfg->security_group_tag_key, cfg->security_group_tag_value},
        {"subnet", "aws_subnets", "subnet-", "subnet-id", cfg->subnet_ids, cfg->subnet_tag_key,
         cfg->subnet_tag_value},
    };
    if (check(cfg, out, lookups, sizeof lookups / sizeof *lookups) < 0)
        return -1;
    const pg_region *primary = pg_ctx_primary(ctx);
    for (size_t l = 0; l < sizeof lookups / sizeof *lookups; l++)
        add_lookup(out, primary, &lookups[l], cfg->vpc_id);

    /* The legacy stack's outputs; terraform_remote_state is built into
     * Terraform and reads the state object directly (s3:GetObject on the key,
     * and kms:Decrypt when the state is encrypted with a customer key). */
    pg_data(out, NULL, "terraform_remote_state", "legacy",
            PG_STR("backend", "s3"),
            PG_MAP("config",
                   PG_STR("bucket", cfg->state_bucket),
                   PG_STR("key", cfg->state_key),
                   PG_STR("region", *cfg->state_region ? cfg->state_region : primary->name)));
    return 0;
}

static const pg_publication publishes[] = {
    {"legacy.security_group_ids", PG_REGIONAL, PG_KIND_STRING},
    {"legacy.subnet_ids", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const pg_setting settings[] = {
    PG_SETTING_STRING("legacy.vpc_id", legacy_config, vpc_id, "",
                      "id of the legacy VPC (vpc-...) to narrow the lookups to; empty: the whole "
                      "primary region"),
    PG_SETTING_LIST("legacy.security_group_ids", legacy_config, security_group_ids, "",
                    "ids of the legacy application security groups (sg-...); empty: find them by tag"),
    PG_SETTING_STRING("legacy.security_group_tag_key", legacy_config, security_group_tag_key,
                      "Name", "tag key that marks the legacy application security groups"),
    PG_SETTING_STRING("legacy.security_group_tag_value", legacy_config, security_group_tag_value,
                      "payment-legacy-app*", "value of that tag; '*' and '?' are wildcards"),
    PG_SETTING_LIST("legacy.subnet_ids", legacy_config, subnet_ids, "",
                    "ids of the legacy subnets (subnet-...); empty: find them by tag"),
    PG_SETTING_STRING("legacy.subnet_tag_key", legacy_config, subnet_tag_key, "Name",
                      "tag key that marks the legacy subnets"),
    PG_SETTING_STRING("legacy.subnet_tag_value", legacy_config, subnet_tag_value,
                      "payment-legacy-private*", "value of that tag; '*' and '?' are wildcards"),
    PG_SETTING_STRING("legacy.state_bucket", legacy_config, state_bucket,
                      "payment-legacy-terraform-state",
                      "S3 bucket that holds the legacy stack's Terraform state"),
    PG_SETTING_STRING("legacy.state_key", legacy_config, state_key, "legacy/terraform.tfstate",
                      "object key of the legacy state in that bucket"),
    PG_SETTING_STRING("legacy.state_region", legacy_config, state_region, "",
                      "region of that bucket; empty: the primary region"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("legacy", "1.0.0", "Apache-2.0",
                 "lookups of the legacy security groups, subnets and Terraform state",
                 publishes, NULL, settings, sizeof(legacy_config), contribute)
