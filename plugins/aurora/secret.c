/* secret.c - the master password without a literal (R5).
 *
 * AWS refuses manage_master_user_password on global-database members, and
 * master_password_wo needs Terraform >= 1.11 while paygen's floor is 1.5. So
 * Secrets Manager generates the password (data source), one secret version
 * stores it and the primary cluster is created with it; both ignore later
 * changes so a fresh draw never resets the password. docs/database.md
 * describes where the value lands in state. */
#include "aurora.h"

#include <string.h>

void aurora_secret_create(const pg_ctx *ctx, pg_out *out, aurora_secret *s)
{
    const pg_region *primary = pg_ctx_primary(ctx);

    s->password = pg_data(out, primary, "aws_secretsmanager_random_password", "db_master");
    cJSON_AddNumberToObject(s->password, "password_length", 40);
    /* RDS forbids / " @ and space in master passwords. */
    cJSON_AddStringToObject(s->password, "exclude_characters", "/\"@' \\`");
    cJSON_AddBoolToObject(s->password, "include_space", false);
    cJSON_AddBoolToObject(s->password, "require_each_included_type", true);

    s->secret = pg_resource(out, primary, "aws_secretsmanager_secret", "db_master");
    cJSON_AddStringToObject(s->secret, "name", pg_name(out, NULL, "db-master", 512));
    cJSON_AddStringToObject(s->secret, "description", "Aurora global database master credentials");
    cJSON_AddStringToObject(s->secret, "kms_key_id",
                            pg_lookup_string(ctx, primary, "kms.database.arn"));
    /* A rehearsal must leave nothing behind, not even a name on hold. */
    cJSON_AddNumberToObject(s->secret, "recovery_window_in_days", pg_ctx_protected(ctx) ? 30 : 0);
    cJSON *replicas = NULL;
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (r->primary)
            continue;
        if (!replicas)
            replicas = cJSON_AddArrayToObject(s->secret, "replica");
        cJSON *rep = cJSON_CreateObject();
        cJSON_AddStringToObject(rep, "region", r->name);
        cJSON_AddStringToObject(rep, "kms_key_id", pg_lookup_string(ctx, r, "kms.database.arn"));
        cJSON_AddItemToArray(replicas, rep);
    }
    pg_tag_name(s->secret, pg_name(out, primary, "db-master", 256));
    pg_protect(ctx, s->secret);
}

const char *aurora_inner(pg_out *out, const char *ref)
{
    size_t n = strlen(ref);
    if (n < 4 || strncmp(ref, "${", 2) || ref[n - 1] != '}')
        return pg_printf(out, "\"%s\"", ref); /* a literal */
    return pg_printf(out, "%.*s", (int)(n - 3), ref + 2);
}

void aurora_secret_version(const pg_ctx *ctx, pg_out *out, const aurora_cfg *cfg,
                           const aurora_secret *s, const cJSON *primary_cluster)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    cJSON *v = pg_resource(out, primary, "aws_secretsmanager_secret_version", "db_master");
    cJSON_AddStringToObject(v, "secret_id", pg_ref(out, s->secret, "id"));
    /* The layout the RDS rotation functions expect. */
    cJSON_AddStringToObject(
        v, "secret_string",
        pg_printf(out,
                  "${jsonencode({engine = \"postgres\", host = %s, port = %d, dbname = \"%s\", "
                  "username = \"%s\", password = %s})}",
                  aurora_inner(out, pg_ref(out, primary_cluster, "endpoint")), AURORA_PORT,
                  cfg->database_name, cfg->master_username,
                  aurora_inner(out, pg_ref(out, s->password, "random_password"))));
    /* The data source draws a new password on every plan; the first one stays.
     * Rotation after creation changes the secret, not this resource. */
    cJSON *lc = cJSON_AddObjectToObject(v, "lifecycle");
    cJSON_AddItemToObject(lc, "ignore_changes", pg_strings("secret_string", NULL));

    /* PCI DSS 8.3.9/8.6.3: with a rotation function, Secrets Manager rotates
     * the password on a schedule (its replicas follow). */
    if (*cfg->rotation_lambda) {
        cJSON *rot = pg_resource(out, primary, "aws_secretsmanager_secret_rotation", "db_master");
        cJSON_AddStringToObject(rot, "secret_id", pg_ref(out, s->secret, "id"));
        cJSON_AddStringToObject(rot, "rotation_lambda_arn", cfg->rotation_lambda);
        cJSON *rules = cJSON_CreateObject();
        cJSON_AddNumberToObject(rules, "automatically_after_days", (double)cfg->rotation_days);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(rot, "rotation_rules"), rules);
        cJSON_AddItemToObject(rot, "depends_on", pg_strings(pg_address(out, v), NULL));
    }
}

/* A replica keeps the primary secret's name and random suffix; only the
 * region in its ARN differs. The provider's replica block exposes no ARN. */
const char *aurora_secret_arn(const pg_ctx *ctx, pg_out *out, const aurora_secret *s,
                              const pg_region *r)
{
    const char *arn = pg_ref(out, s->secret, "arn");
    if (r->primary)
        return arn;
    return pg_printf(out, "${replace(%s, \":%s:\", \":%s:\")}", aurora_inner(out, arn),
                     pg_ctx_primary(ctx)->name, r->name);
}
