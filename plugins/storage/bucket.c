/* bucket.c - one bucket and the resources that configure it (provider 5.x
 * splits them): versioning, default encryption, public access block,
 * ownership, lifecycle, server access logging and Object Lock. */
#include "storage.h"

static cJSON *child(pg_out *out, const pg_region *r, const char *type, const bucket *b)
{
    cJSON *c = pg_resource(out, r, type, b->spec->label);
    cJSON_AddStringToObject(c, "bucket", pg_ref(out, b->bucket, "id"));
    return c;
}

static cJSON *obj(cJSON *parent, const char *key) { return cJSON_AddObjectToObject(parent, key); }

static void encryption(pg_out *out, const pg_region *r, const bucket *b)
{
    cJSON *sse = child(out, r, "aws_s3_bucket_server_side_encryption_configuration", b);
    cJSON *rule = obj(sse, "rule");
    cJSON *def = obj(rule, "apply_server_side_encryption_by_default");
    if (b->key_arn) {
        cJSON_AddStringToObject(def, "sse_algorithm", "aws:kms");
        cJSON_AddStringToObject(def, "kms_master_key_id", b->key_arn);
        /* One data key per bucket instead of one KMS call per object. */
        cJSON_AddBoolToObject(rule, "bucket_key_enabled", true);
    } else {
        /* ELB access-log delivery cannot write with SSE-KMS. */
        cJSON_AddStringToObject(def, "sse_algorithm", "AES256");
    }
}

static cJSON *public_access_block(pg_out *out, const pg_region *r, const bucket *b)
{
    cJSON *pab = child(out, r, "aws_s3_bucket_public_access_block", b);
    cJSON_AddBoolToObject(pab, "block_public_acls", true);
    cJSON_AddBoolToObject(pab, "block_public_policy", true);
    cJSON_AddBoolToObject(pab, "ignore_public_acls", true);
    cJSON_AddBoolToObject(pab, "restrict_public_buckets", true);
    return pab;
}

static void ownership(pg_out *out, const pg_region *r, const bucket *b)
{
    cJSON *own = child(out, r, "aws_s3_bucket_ownership_controls", b);
    cJSON_AddStringToObject(obj(own, "rule"), "object_ownership", "BucketOwnerEnforced");
}

static void transition(cJSON *rule, long days, const char *storage_class)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(rule, "transition");
    if (!list)
        list = cJSON_AddArrayToObject(rule, "transition");
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "days", (double)days);
    cJSON_AddStringToObject(t, "storage_class", storage_class);
    cJSON_AddItemToArray(list, t);
}

static void lifecycle(pg_out *out, const pg_region *r, const storage_cfg *cfg, const bucket *b)
{
    long keep = b->spec->locked ? cfg->audit_days
                : b->spec->kms  ? cfg->transaction_log_days
                                : cfg->access_log_days;
    cJSON *lc = child(out, r, "aws_s3_bucket_lifecycle_configuration", b);
    cJSON *rules = cJSON_AddArrayToObject(lc, "rule");
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddItemToArray(rules, rule);
    cJSON_AddStringToObject(rule, "id", "retention");
    cJSON_AddStringToObject(rule, "status", "Enabled");
    obj(rule, "filter"); /* every object */
    transition(rule, cfg->ia_days, "STANDARD_IA");
    if (b->spec->kms)
        transition(rule, cfg->glacier_days, "GLACIER");
    cJSON_AddNumberToObject(obj(rule, "expiration"), "days", (double)keep);
    cJSON_AddNumberToObject(obj(rule, "noncurrent_version_expiration"), "noncurrent_days",
                            (double)cfg->noncurrent_days);
    cJSON_AddNumberToObject(obj(rule, "abort_incomplete_multipart_upload"), "days_after_initiation",
                            7);
    /* Rules on a versioned bucket need versioning in place first. */
    cJSON_AddItemToObject(lc, "depends_on", pg_strings(pg_address(out, b->versioning), NULL));
}

static void logging(pg_out *out, const pg_region *r, const bucket *b, const bucket *target)
{
    cJSON *log = child(out, r, "aws_s3_bucket_logging", b);
    cJSON_AddStringToObject(log, "target_bucket", pg_ref(out, target->bucket, "id"));
    cJSON_AddStringToObject(log, "target_prefix", pg_printf(out, "s3/%s/", b->spec->kind));
}

static void object_lock(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                        const bucket *b)
{
    cJSON *lock = child(out, r, "aws_s3_bucket_object_lock_configuration", b);
    cJSON *retention = obj(obj(lock, "rule"), "default_retention");
    /* COMPLIANCE cannot be lifted by anyone: only where protection is on, so
     * a rehearsal stays destroyable. */
    cJSON_AddStringToObject(retention, "mode", pg_ctx_protected(ctx) ? "COMPLIANCE" : "GOVERNANCE");
    cJSON_AddNumberToObject(retention, "days", (double)cfg->lock_days);
    cJSON_AddItemToObject(lock, "depends_on", pg_strings(pg_address(out, b->versioning), NULL));
}

int storage_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                   const bucket_spec *spec, const bucket *logs_target, bucket *b)
{
    *b = (bucket){.spec = spec, .region = r};
    if (spec->kms) {
        b->key_arn = pg_lookup_string(ctx, r, "kms.storage.arn");
        if (!b->key_arn) {
            pg_error(out, "region %s: kms.storage.arn is not published", r->name);
            return -1;
        }
    }
    const char *name = pg_name(out, r, spec->kind, 63);
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.')) {
            pg_error(out, "bucket name '%s' must be lowercase letters, digits, '-' or '.'", name);
            return -1;
        }
    if (!*name)
        return -1;

    b->bucket = pg_resource(out, r, "aws_s3_bucket", spec->label);
    cJSON_AddStringToObject(b->bucket, "bucket", name);
    /* A rehearsal (protection off) must be destroyable with its objects. */
    cJSON_AddBoolToObject(b->bucket, "force_destroy", !pg_ctx_protected(ctx));
    if (spec->locked)
        cJSON_AddBoolToObject(b->bucket, "object_lock_enabled", true);
    pg_tag_name(b->bucket, name);
    if (!spec->kms) /* lets the PCI check accept its SSE-S3 */
        cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(b->bucket, "tags"), "Purpose",
                                "elb-access-logs");
    if (spec->locked)
        pg_protect(ctx, b->bucket);

    b->versioning = child(out, r, "aws_s3_bucket_versioning", b);
    cJSON_AddStringToObject(obj(b->versioning, "versioning_configuration"), "status", "Enabled");
    encryption(out, r, b);
    b->public_access_block = public_access_block(out, r, b);
    ownership(out, r, b);
    lifecycle(out, r, cfg, b);
    if (logs_target)
        logging(out, r, b, logs_target);
    if (spec->locked)
        object_lock(ctx, out, r, cfg, b);
    return 0;
}
