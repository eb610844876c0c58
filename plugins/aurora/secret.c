/* SPDX-License-Identifier: Apache-2.0 */
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

int aurora_secret_create(const pg_ctx *ctx, pg_out *out, bool generated, aurora_secret *s)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    const char *key = pg_need(ctx, primary, "kms.database.arn");
    if (!key)
        return -1;

    s->password = NULL;
    if (generated)
        s->password = pg_data(out, primary, "aws_secretsmanager_random_password", "db_master",
                              PG_INT("password_length", 40),
                              /* RDS forbids / " @ and space in master passwords. */
                              PG_STR("exclude_characters", "/\"@' \\`"),
                              PG_BOOL("include_space", false),
                              PG_BOOL("require_each_included_type", true));

    s->secret = pg_resource(out, primary, "aws_secretsmanager_secret", "db_master",
                            PG_STR("name", pg_name(out, NULL, "db-master", 512)),
                            PG_STR("description", "Aurora global database master credentials"),
                            PG_STR("kms_key_id", key),
                            /* A rehearsal must leave nothing behind, not even a name on hold. */
                            PG_INT("recovery_window_in_days", pg_ctx_protected(ctx) ? 30 : 0),
                            PG_NAME("db-master"),
                            PG_PROTECT);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (r->primary)
            continue;
        const char *replica_key = pg_need(ctx, r, "kms.database.arn");
        if (!replica_key)
            return -1;
        pg_block(out, s->secret, "replica",
                 PG_STR("region", r->name),
                 PG_STR("kms_key_id", replica_key));
    }
    return 0;
}

const char *aurora_inner(pg_out *out, const char *ref)
{
    size_t n = strlen(ref);
    if (n < 4 || strncmp(ref, "${", 2) || ref[n - 1] != '}')
        return pg_printf(out, "\"%s\"", ref); /* a literal */
    return pg_printf(out, "%.*s", (int)(n - 3), ref + 2);
}

/* Without a generated password (an adopted cluster, a promoted replica)
 * the value is today's, written into the secret by the runbook step of
 * docs/database.md; Terraform writes no version that would overwrite it
 * (NULL is returned). */
cJSON *aurora_secret_version(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                             const aurora_secret *s, const cJSON *primary_cluster)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    if (!s->password)
        return NULL;
    /* The layout the RDS rotation functions expect, sensitive as a whole:
     * provider 5.x does not mark the generator's random_password sensitive,
     * so without it the value would print in a plan. */
    const char *value = pg_printf(
        out,
        "${sensitive(jsonencode({engine = \"postgres\", host = %s, port = %d, dbname = \"%s\", "
        "username = \"%s\", password = %s}))}",
        aurora_inner(out, pg_ref(out, primary_cluster, "endpoint")), AURORA_PORT,
        cfg->database_name, cfg->master_username,
        aurora_inner(out, pg_ref(out, s->password, "random_password")));
    return pg_resource(out, primary, "aws_secretsmanager_secret_version", "db_master",
                       PG_REF("secret_id", s->secret, "id"),
                       PG_STR("secret_string", value),
                       /* The data source draws a new password on every plan; the first
                        * one stays. Rotation after creation changes the secret, not this
                        * resource. */
                       PG_IGNORE_CHANGES("secret_string"));
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
