/* SPDX-License-Identifier: Apache-2.0 */
/* adopt.c - today's database, as the legacy plugin describes it
 * (legacy.database.*), and the one move that keeps it: adopt, where today's
 * Aurora cluster and its instances are imported as the primary's cluster and
 * instances. An import replaces nothing only when every argument that forces
 * a replacement matches what exists, so each of them comes from the profile,
 * never from paygen's naming. The version rules of the moves are checked
 * here too, before anything is written. */
#include "aurora.h"

#include <stdlib.h>
#include <string.h>

#define ENGINE "aurora-postgresql"

bool aurora_wraps(const aurora_legacy *legacy)
{
    return legacy->move == AURORA_MOVE_ADOPT || legacy->move == AURORA_MOVE_REPLICA;
}

bool aurora_is_replica(const pg_ctx *ctx, const aurora_legacy *legacy)
{
    return legacy->move == AURORA_MOVE_REPLICA && pg_ctx_phase(ctx) == PG_PHASE_LEGACY;
}

long aurora_port(const pg_ctx *ctx)
{
    const char *move = pg_lookup(ctx, NULL, "legacy.database.move");
    const char *port = pg_lookup(ctx, NULL, "legacy.database.port");
    if (move && port && !strcmp(move, "adopt"))
        return strtol(port, NULL, 10);
    return AURORA_PORT;
}

/* A value the move cannot do without; the legacy plugin checks the section
 * is complete, this names the key should it ever not be. */
static const char *required(const pg_ctx *ctx, pg_out *out, const char *name)
{
    const char *v = pg_lookup(ctx, NULL, name);
    if (!v || !*v)
        pg_fail_at(out, name, "is required when legacy.database.move is %s",
                   pg_lookup(ctx, NULL, "legacy.database.move"));
    return v && *v ? v : NULL;
}

/* legacy.database.arn is built by the legacy plugin, not a profile key. */
static const char *source_arn(const pg_ctx *ctx, pg_out *out)
{
    const char *v = pg_lookup(ctx, NULL, "legacy.database.arn");
    if (!v || !*v)
        pg_fail(out, "legacy.database.arn was not published: the legacy plugin describes no "
                     "database to move");
    return v && *v ? v : NULL;
}

static int read_adopt(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                      aurora_legacy *l)
{
    const char *today = required(ctx, out, "legacy.database.engine_version");
    const char *port = required(ctx, out, "legacy.database.port");
    l->kms_key_arn = required(ctx, out, "legacy.database.kms_key_arn");
    l->subnet_group = required(ctx, out, "legacy.database.subnet_group");
    l->master_username = required(ctx, out, "legacy.database.master_username");
    l->security_group_ids = pg_lookup_list(ctx, NULL, "legacy.database.security_group_ids");
    l->instance_ids = pg_lookup_list(ctx, NULL, "legacy.database.instance_identifiers");
    if (!today || !port || !l->kms_key_arn || !l->subnet_group || !l->master_username)
        return -1;
    if (!aurora_identifier_ok(l->identifier))
        return pg_fail_at(out, "legacy.database.identifier",
                          "'%s' is not a cluster identifier as RDS stores it (lowercase letters, "
                          "digits and hyphens, a letter first); an import by another spelling "
                          "would replace the cluster",
                          l->identifier);
    int n = cJSON_GetArraySize(l->instance_ids);
    if (n < 1 || n > AURORA_MAX_INSTANCES)
        return pg_fail_at(out, "legacy.database.instance_identifiers",
                          "lists %d instances; the adopted cluster's instances are imported by "
                          "identifier, 1 to %d of them",
                          n, AURORA_MAX_INSTANCES);
    const cJSON *it;
    cJSON_ArrayForEach(it, l->instance_ids)
    {
        if (!cJSON_IsString(it) || !aurora_identifier_ok(it->valuestring))
            return pg_fail_at(out, "legacy.database.instance_identifiers",
                              "'%s' is not an instance identifier as RDS stores it (lowercase "
                              "letters, digits and hyphens, a letter first)",
                              cJSON_IsString(it) ? it->valuestring : "?");
    }
    if (aurora_check_global_version(out, today, "legacy.database.engine_version") < 0)
        return -1;
    /* The adopted cluster keeps the version it runs: another one would be an
     * upgrade in the middle of the adoption. */
    int a, b, c, d;
    aurora_version_parse(today, &a, &b);
    if (!aurora_version_parse(cfg->engine_version, &c, &d) || a != c || b != d)
        return pg_fail_at(out, "database.engine_version",
                          "'%s' differs from legacy.database.engine_version '%s': the adopted "
                          "cluster and every secondary run the version today's cluster runs; set "
                          "database.engine_version to %s (upgrade after the adoption)",
                          cfg->engine_version, today, today);
    l->version = today;
    l->port = strtol(port, NULL, 10);
    return 0;
}

/* An Aurora read replica of an RDS for PostgreSQL instance needs the same
 * major version and the same or a higher minor one
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Migrating.RDSPostgreSQL.Replica.html);
 * being in the same region and account is given: the ARN is built from the
 * primary region and the account that runs Terraform. */
static int read_replica(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg)
{
    const char *today = required(ctx, out, "legacy.database.engine_version");
    if (!today)
        return -1;
    int a, b, c, d;
    if (!aurora_version_parse(today, &a, &b))
        return pg_fail_at(out, "legacy.database.engine_version",
                          "'%s' is not a PostgreSQL version like 15.4", today);
    if (!aurora_version_parse(cfg->engine_version, &c, &d))
        return pg_fail_at(out, "database.engine_version",
                          "'%s' is not an Aurora PostgreSQL version like 15.4", cfg->engine_version);
    if (a != c || d < b)
        return pg_fail_at(out, "database.engine_version",
                          "Aurora PostgreSQL %s cannot be a read replica of RDS PostgreSQL %s "
                          "(legacy.database.engine_version): it needs major version %d at minor "
                          "%d or higher; use legacy.database.move dms across major versions",
                          cfg->engine_version, today, a, b);
    return aurora_check_global_version(out, cfg->engine_version, "database.engine_version");
}

int aurora_legacy_read(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                       aurora_legacy *l)
{
    memset(l, 0, sizeof *l);
    l->version = cfg->engine_version;
    l->port = AURORA_PORT;
    const char *move = pg_lookup(ctx, NULL, "legacy.database.move");
    if (!move || !strcmp(move, "dms")) {
        l->move = move ? AURORA_MOVE_DMS : AURORA_MOVE_NONE;
        return aurora_check_global_version(out, cfg->engine_version, "database.engine_version");
    }
    l->identifier = required(ctx, out, "legacy.database.identifier");
    l->arn = source_arn(ctx, out);
    if (!l->identifier || !l->arn)
        return -1;
    if (!strcmp(move, "adopt")) {
        l->move = AURORA_MOVE_ADOPT;
        return read_adopt(ctx, out, cfg, l);
    }
    if (!strcmp(move, "replica")) {
        l->move = AURORA_MOVE_REPLICA;
        return read_replica(ctx, out, cfg);
    }
    return pg_fail_at(out, "legacy.database.move",
                      "'%s' is not a move the aurora plugin knows (adopt, replica or dms)", move);
}

cJSON *aurora_adopted_cluster(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                              const aurora_config *cfg, const aurora_legacy *l,
                              const aurora_net *net)
{
    bool protect = pg_ctx_protected(ctx);
    /* Today's groups keep today's clients in; paygen's one group in the
     * legacy VPC admits the new platform. */
    const cJSON *mine = net->legacy_security_group ? net->legacy_security_group
                                                   : net->security_group;
    cJSON *groups = cJSON_Duplicate(l->security_group_ids, true);
    if (!groups)
        groups = cJSON_CreateArray();
    cJSON_AddItemToArray(groups, cJSON_CreateString(pg_ref(out, mine, "id")));

    cJSON *c = pg_resource(
        out, r, "aws_rds_cluster", "main",
        /* Each of these forces a replacement when it differs from what
         * exists: all are today's values from the profile. */
        PG_STR("cluster_identifier", l->identifier),
        PG_STR("engine", ENGINE),
        PG_BOOL("storage_encrypted", true),
        PG_STR("kms_key_id", l->kms_key_arn),
        PG_STR("db_subnet_group_name", l->subnet_group),
        PG_STR("master_username", l->master_username),
        /* database_name (also forcing) is left out: unset, the provider keeps
         * whatever exists. So is master_password: today's stays. */
        PG_STR("engine_version", l->version),
        PG_INT("port", l->port),
        PG_JSON("vpc_security_group_ids", groups),
        PG_NAME("db-cluster"),
        PG_IMPORT(l->identifier),
        /* Membership is set by the global cluster made from this one
         * (source_db_cluster_identifier); the provider cannot add an existing
         * cluster to an existing global cluster. */
        PG_IF(pg_ctx_phase(ctx) >= PG_PHASE_MIGRATION,
              PG_BOOL("enable_global_write_forwarding", cfg->write_forwarding)),
        /* ... and a switchover makes it a secondary with a replication source. */
        PG_IGNORE_CHANGES("global_cluster_identifier", "engine_version", "master_password",
                          "replication_source_identifier"));
    if (!c)
        return NULL;
    aurora_cluster_common(out, cfg, net, c);
    /* Protected like every database paygen manages: a rehearsal
     * (protection: false) adopts a staging copy it may destroy; a profile
     * that adopts production keeps protection on. Rolling the adoption back
     * is `terraform state rm`, never a destroy. */
    pg_set(out, c,
           PG_BOOL("deletion_protection", protect),
           PG_BOOL("skip_final_snapshot", !protect),
           PG_IF(protect, PG_STR("final_snapshot_identifier", pg_name(out, r, "db-final", 255))),
           PG_PROTECT);
    return c;
}

int aurora_adopted_instances(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                             const aurora_config *cfg, const aurora_legacy *l,
                             const cJSON *cluster, const cJSON *monitoring_attachment,
                             aurora_instances *made)
{
    const char *role = pg_need(ctx, r, "iam.rds_monitoring.arn");
    if (!role)
        return -1;
    made->count = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, l->instance_ids)
    {
        if (made->count >= AURORA_MAX_INSTANCES)
            break;
        long n = (long)made->count + 1;
        /* identifier, cluster_identifier and engine force a replacement; the
         * availability zone and subnet group too, so they are left unset and
         * stay as they are. Performance Insights is left as it is: its KMS key
         * cannot change once set. */
        cJSON *in = pg_resource(out, r, "aws_rds_cluster_instance",
                                pg_printf(out, "instance_%ld", n),
                                PG_STR("identifier", it->valuestring),
                                PG_REF("cluster_identifier", cluster, "id"),
                                PG_REF("engine", cluster, "engine"),
                                PG_NAME(pg_printf(out, "db-instance-%ld", n)),
                                PG_IMPORT(it->valuestring),
                                PG_PROTECT);
        if (!in)
            return -1;
        aurora_instance_common(out, cfg, role, monitoring_attachment, n, in);
        made->blocks[made->count++] = in;
    }
    return 0;
}
