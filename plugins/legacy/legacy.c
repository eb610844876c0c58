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

typedef struct lookup {
    const char *what;      /* "security_group", "subnet" */
    const char *id_prefix; /* "sg-", "subnet-" */
    const char *id_filter; /* "group-id", "subnet-id" */
} lookup;

static const lookup lookups[] = {
    {"security_group", "sg-", "group-id"},
    {"subnet", "subnet-", "subnet-id"},
};

static int check(const pg_ctx *ctx, pg_out *out)
{
    int rc = 0;
    const char *vpc = pg_ctx_string(ctx, "legacy.vpc_id");
    if (vpc && *vpc && !valid_id(vpc, "vpc-")) {
        pg_error(out, "legacy.vpc_id = '%s' is not a VPC id (vpc- and 8 or 17 hex digits), or "
                      "empty to search the whole region", vpc);
        rc = -1;
    }
    for (size_t l = 0; l < sizeof lookups / sizeof *lookups; l++) {
        const lookup *k = &lookups[l];
        const char *ids_key = pg_printf(out, "legacy.%s_ids", k->what);
        for (size_t i = 0; i < pg_ctx_list_count(ctx, ids_key); i++) {
            const char *id = pg_ctx_list_item(ctx, ids_key, i);
            if (!valid_id(id, k->id_prefix)) {
                pg_error(out, "%s: '%s' is not a %s id (%s and 8 or 17 hex digits)", ids_key, id,
                         k->what, k->id_prefix);
                rc = -1;
            }
        }
        if (pg_ctx_list_count(ctx, ids_key))
            continue;
        const char *tag_key = pg_ctx_string(ctx, pg_printf(out, "legacy.%s_tag_key", k->what));
        const char *tag_value = pg_ctx_string(ctx, pg_printf(out, "legacy.%s_tag_value", k->what));
        if (!tag_key || !*tag_key || strlen(tag_key) > 128) {
            pg_error(out, "legacy.%s_tag_key must be a tag key of 1-128 characters when "
                          "%s is empty", k->what, ids_key);
            rc = -1;
        }
        if (!tag_value || !*tag_value || strlen(tag_value) > 256) {
            pg_error(out, "legacy.%s_tag_value must be a tag value of 1-256 characters when "
                          "%s is empty", k->what, ids_key);
            rc = -1;
        }
    }
    const char *bucket = pg_ctx_string(ctx, "legacy.state_bucket");
    if (!bucket || !valid_bucket(bucket)) {
        pg_error(out, "legacy.state_bucket = '%s' is not an S3 bucket name (3-63 lowercase "
                      "letters, digits, '.' or '-')", bucket ? bucket : "");
        rc = -1;
    }
    const char *key = pg_ctx_string(ctx, "legacy.state_key");
    if (!key || !*key || key[0] == '/' || strlen(key) > 1024) {
        pg_error(out, "legacy.state_key = '%s' must be an object key such as "
                      "legacy/terraform.tfstate (not empty, no leading '/')", key ? key : "");
        rc = -1;
    }
    const char *region = pg_ctx_string(ctx, "legacy.state_region");
    if (region && *region && !valid_region(region)) {
        pg_error(out, "legacy.state_region = '%s' is not a region name like us-east-1 (empty: "
                      "the primary region)", region);
        rc = -1;
    }
    return rc;
}

static cJSON *filter(cJSON *block, const char *name, cJSON *values)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(block, "filter");
    if (!list)
        list = cJSON_AddArrayToObject(block, "filter");
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", name);
    cJSON_AddItemToObject(f, "values", values);
    cJSON_AddItemToArray(list, f);
    return f;
}

static void add_lookup(const pg_ctx *ctx, pg_out *out, const pg_region *primary, const lookup *k)
{
    const char *type = !strcmp(k->what, "subnet") ? "aws_subnets" : "aws_security_groups";
    cJSON *d = pg_data(out, primary, type, "legacy");
    const char *ids_key = pg_printf(out, "legacy.%s_ids", k->what);
    size_t n = pg_ctx_list_count(ctx, ids_key);
    if (n) {
        cJSON *values = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(values, cJSON_CreateString(pg_ctx_list_item(ctx, ids_key, i)));
        filter(d, k->id_filter, values);
    } else {
        const char *tag_key = pg_ctx_string(ctx, pg_printf(out, "legacy.%s_tag_key", k->what));
        const char *tag_value = pg_ctx_string(ctx, pg_printf(out, "legacy.%s_tag_value", k->what));
        filter(d, pg_printf(out, "tag:%s", tag_key), pg_strings(tag_value, NULL));
    }
    const char *vpc = pg_ctx_string(ctx, "legacy.vpc_id");
    if (vpc && *vpc)
        filter(d, "vpc-id", pg_strings(vpc, NULL));
    pg_publish_string(out, primary, pg_printf(out, "legacy.%s_ids", k->what), pg_ref(out, d, "ids"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (pg_ctx_phase(ctx) == PG_PHASE_PRODUCTION)
        return 0;
    if (check(ctx, out) < 0)
        return -1;
    const pg_region *primary = pg_ctx_primary(ctx);
    for (size_t l = 0; l < sizeof lookups / sizeof *lookups; l++)
        add_lookup(ctx, out, primary, &lookups[l]);

    /* The legacy stack's outputs; terraform_remote_state is built into
     * Terraform and reads the state object directly (s3:GetObject on the key,
     * and kms:Decrypt when the state is encrypted with a customer key). */
    const char *region = pg_ctx_string(ctx, "legacy.state_region");
    cJSON *state = pg_data(out, NULL, "terraform_remote_state", "legacy");
    cJSON_AddStringToObject(state, "backend", "s3");
    cJSON *config = cJSON_AddObjectToObject(state, "config");
    cJSON_AddStringToObject(config, "bucket", pg_ctx_string(ctx, "legacy.state_bucket"));
    cJSON_AddStringToObject(config, "key", pg_ctx_string(ctx, "legacy.state_key"));
    cJSON_AddStringToObject(config, "region", region && *region ? region : primary->name);
    return 0;
}

static const char *const provides[] = {"legacy", NULL};
static const char *const needs[] = {NULL};
static const pg_setting settings[] = {
    {"legacy.vpc_id", PG_SETTING_STRING, "", 0, 0,
     "id of the legacy VPC (vpc-...) to narrow the lookups to; empty: the whole primary region"},
    {"legacy.security_group_ids", PG_SETTING_STRING_LIST, "", 0, 0,
     "ids of the legacy application security groups (sg-...); empty: find them by tag"},
    {"legacy.security_group_tag_key", PG_SETTING_STRING, "Name", 0, 0,
     "tag key that marks the legacy application security groups"},
    {"legacy.security_group_tag_value", PG_SETTING_STRING, "payment-legacy-app*", 0, 0,
     "value of that tag; '*' and '?' are wildcards"},
    {"legacy.subnet_ids", PG_SETTING_STRING_LIST, "", 0, 0,
     "ids of the legacy subnets (subnet-...); empty: find them by tag"},
    {"legacy.subnet_tag_key", PG_SETTING_STRING, "Name", 0, 0,
     "tag key that marks the legacy subnets"},
    {"legacy.subnet_tag_value", PG_SETTING_STRING, "payment-legacy-private*", 0, 0,
     "value of that tag; '*' and '?' are wildcards"},
    {"legacy.state_bucket", PG_SETTING_STRING, "payment-legacy-terraform-state", 0, 0,
     "S3 bucket that holds the legacy stack's Terraform state"},
    {"legacy.state_key", PG_SETTING_STRING, "legacy/terraform.tfstate", 0, 0,
     "object key of the legacy state in that bucket"},
    {"legacy.state_region", PG_SETTING_STRING, "", 0, 0,
     "region of that bucket; empty: the primary region"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("legacy", "1.0.0",
                 "lookups of the legacy security groups, subnets and Terraform state",
                 provides, needs, settings, contribute)
