/* SPDX-License-Identifier: Apache-2.0 */
/* alarms_data.c - the data tier: Aurora (global replication lag on every
 * member, an event subscription for writer moves, writer CPU and memory on the primary, and while the primary
 * is a read replica of today's RDS instance its lag behind it) and S3
 * cross-region replication. */
#include "monitoring.h"

#include <string.h>

/* legacy.database.move replica, legacy phase: the primary cluster is an
 * Aurora read replica of today's RDS PostgreSQL instance, promoted at the
 * cutover once its lag is zero. RDSToAuroraPostgreSQLReplicaLag is "the
 * amount of time in seconds that an Aurora PostgreSQL DB cluster lags behind
 * the source RDS DB instance"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Migrating.RDSPostgreSQL.Replica.html).
 * missing: nothing is reported while the initial snapshot is loaded (hours
 * per TiB); that is not an incident, the dashboard shows it as no data. */
static int rds_replica_lag(mon *m, const pg_region *r, const char *cluster)
{
    const char *move = pg_lookup(m->ctx, NULL, "legacy.database.move");
    if (!r->primary || pg_ctx_phase(m->ctx) != PG_PHASE_LEGACY || !move || strcmp(move, "replica"))
        return 0;
    mon_alarm lag = {
        .where = r,
        .about = r,
        .label = "aurora_rds_replica_lag",
        .kind = "aurora-rds-replica-lag",
        .description = "The Aurora read replica lags today's RDS PostgreSQL instance; the cutover "
                       "waits for zero",
        .ns = "AWS/RDS",
        .metric = "RDSToAuroraPostgreSQLReplicaLag",
        .dims = {"DBClusterIdentifier", cluster},
        .stat = "Maximum",
        .period = 60,
        .evaluations = 5,
        .threshold = (double)m->cfg->rds_replica_lag_s,
        .comparison = "GreaterThanThreshold",
        .missing = "missing",
    };
    return mon_alarm_add(m, &lag);
}

/* The global database's writer changing region (a switchover or a failover,
 * planned or by the failover function) is an RDS event of the category
 * global-failover on the clusters involved, started and completed
 * (RDS-EVENT-0181 to 0188, "Amazon RDS event categories and event messages
 * for Aurora"). Each region subscribes its own cluster, so the notification
 * comes from the region that is still up. */
static int writer_moves(mon *m, const pg_region *r, const char *cluster)
{
    const mon_region *mr = mon_find(m, r);
    if (!mr)
        return -1;
    pg_resource(m->out, r, "aws_db_event_subscription", "writer_moves",
                PG_STR("name", pg_name(m->out, r, "db-writer-moves", 255)),
                PG_STR("sns_topic", mr->topic_arn),
                PG_STR("source_type", "db-cluster"),
                PG_STRS("source_ids", cluster),
                PG_STRS("event_categories", "global-failover", "failover"),
                PG_BOOL("enabled", true),
                PG_NAME("db-writer-moves"));
    return 0;
}

static int aurora_region(mon *m, const pg_region *r)
{
    const char *cluster = pg_lookup(m->ctx, r, "aurora.cluster_id");
    if (!cluster)
        return 0;
    int rc = 0;
    if (pg_ctx_phase(m->ctx) >= PG_PHASE_MIGRATION) {
        /* Reported by whichever cluster is a secondary at the time: the
         * us-east-2 cluster until a switchover, today's primary after it.
         * So every member has the alarm in its region, and missing data is
         * not breaching: the cluster that holds the writer reports nothing.
         * That a switchover or failover happened is told by the RDS event
         * subscription below, not by silence. */
        mon_alarm lag = {
            .where = r,
            .about = r,
            .label = "aurora_replication_lag",
            .kind = "aurora-replication-lag",
            .description = "Aurora global database replication lag to this cluster (while it is "
                           "a secondary) is above the target",
            .ns = "AWS/RDS",
            .metric = "AuroraGlobalDBReplicationLag",
            .dims = {"DBClusterIdentifier", cluster},
            .stat = "Average",
            .period = 60,
            .evaluations = 3,
            .threshold = (double)m->cfg->replication_lag_ms,
            .comparison = "GreaterThanThreshold",
            .missing = "notBreaching",
        };
        rc |= mon_alarm_add(m, &lag);
        rc |= writer_moves(m, r, cluster);
    }
    /* Writer alarms on the primary cluster only: a secondary cluster of a
     * global database has no writer, so Role=WRITER never reports there and
     * an alarm on it would never get data. notBreaching: the writer reports
     * every minute; a gap is not a writer problem. */
    rc |= rds_replica_lag(m, r, cluster);
    if (r->primary) {
        mon_alarm cpu = {
            .where = r,
            .about = r,
            .label = "aurora_writer_cpu",
            .kind = "aurora-writer-cpu",
            .description = "CPU of the Aurora writer is high",
            .ns = "AWS/RDS",
            .metric = "CPUUtilization",
            .dims = {"DBClusterIdentifier", cluster, "Role", "WRITER"},
            .stat = "Average",
            .period = 60,
            .evaluations = 5,
            .threshold = (double)m->cfg->db_cpu_percent,
            .comparison = "GreaterThanThreshold",
            .missing = "notBreaching",
        };
        rc |= mon_alarm_add(m, &cpu);
        mon_alarm mem = cpu;
        mem.label = "aurora_writer_memory";
        mem.kind = "aurora-writer-memory";
        mem.description = "Freeable memory of the Aurora writer is low";
        mem.metric = "FreeableMemory";
        mem.stat = "Minimum";
        mem.threshold = (double)m->cfg->db_freeable_memory_mb * 1048576.0;
        mem.comparison = "LessThanThreshold";
        rc |= mon_alarm_add(m, &mem);
    }
    return rc;
}

int mon_aurora_alarms(mon *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->count; i++)
        rc |= aurora_region(m, m->regions[i].region);
    return rc;
}

/* Each serving region's buckets replicate out of it (plugins/storage,
 * replication.c): the primary's to the first secondary, a secondary's to
 * the primary. A bucket whose region publishes no rule (the audit trail,
 * written in the primary only) has no alarm there. */
static const pg_region *destination(const mon *m, const pg_region *src)
{
    if (!src->primary)
        return pg_ctx_primary(m->ctx);
    for (size_t i = 0; i < m->count; i++)
        if (!m->regions[i].region->primary)
            return m->regions[i].region;
    return NULL;
}

static const char *const buckets[] = {"transaction_logs", "audit_trail"};
static const char *const bucket_kinds[] = {"transaction-logs", "audit-trail"};

static int s3_alarms_from(mon *m, const pg_region *src)
{
    const pg_region *dst = destination(m, src);
    if (!dst)
        return 0;
    int rc = 0;
    for (size_t b = 0; b < sizeof buckets / sizeof *buckets; b++) {
        const char *rule = pg_lookup(
            m->ctx, src, pg_printf(m->out, "storage.replication.%s.rule_id", buckets[b]));
        const char *from =
            pg_lookup(m->ctx, src, pg_printf(m->out, "storage.%s.bucket", buckets[b]));
        const char *to =
            pg_lookup(m->ctx, dst, pg_printf(m->out, "storage.%s.bucket", buckets[b]));
        if (!rule || !from || !to)
            continue;
        /* notBreaching for both: S3 emits replication metrics only while
         * objects are being replicated, and OperationsFailedReplication has
         * no data point when nothing failed; a quiet bucket is healthy. */
        mon_alarm latency = {
            .where = src,
            .about = src,
            .label = pg_printf(m->out, "s3_replication_latency_%s", buckets[b]),
            .kind = pg_printf(m->out, "s3-replication-latency-%s", bucket_kinds[b]),
            .description = pg_printf(m->out, "Replication of the %s bucket to %s lags behind",
                                     bucket_kinds[b], dst->name),
            .ns = "AWS/S3",
            .metric = "ReplicationLatency",
            .dims = {"SourceBucket", from, "DestinationBucket", to, "RuleId", rule},
            .stat = "Maximum",
            .period = 60,
            .evaluations = 5,
            .threshold = (double)m->cfg->s3_replication_latency_s,
            .comparison = "GreaterThanThreshold",
            .missing = "notBreaching",
        };
        rc |= mon_alarm_add(m, &latency);
        mon_alarm failed = latency;
        failed.label = pg_printf(m->out, "s3_replication_failed_%s", buckets[b]);
        failed.kind = pg_printf(m->out, "s3-replication-failed-%s", bucket_kinds[b]);
        failed.description = pg_printf(m->out, "Objects of the %s bucket failed to replicate to %s",
                                       bucket_kinds[b], dst->name);
        failed.metric = "OperationsFailedReplication";
        failed.stat = "Sum";
        failed.evaluations = 1;
        failed.threshold = 0;
        rc |= mon_alarm_add(m, &failed);
    }
    return rc;
}

int mon_s3_alarms(mon *m)
{
    if (pg_ctx_phase(m->ctx) < PG_PHASE_MIGRATION)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < m->count; i++)
        rc |= s3_alarms_from(m, m->regions[i].region);
    return rc;
}
