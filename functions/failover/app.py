# SPDX-License-Identifier: Apache-2.0
"""Moves the writer of the Aurora global database into this function's region
when the region that holds it fails (docs/failover.md).

Runs in a secondary region, every minute (EventBridge schedule), so that it
survives the loss of the primary. Each run decides from what it sees now and
keeps no state:

- an operation already running on the global cluster (FailoverState), or the
  writer already here: nothing to do;
- the writer region's Route 53 health check healthy: nothing to do;
- unhealthy for UNHEALTHY_MINUTES (a blip moves nothing) and the writer
  cluster still answers: SwitchoverGlobalCluster, which synchronises the
  secondaries first and loses nothing;
- unhealthy, or its status unreadable (Route 53's control plane is in
  us-east-1), and the writer cluster does not answer: FailoverGlobalCluster with
  AllowDataLoss, only when ALLOW_DATA_LOSS is on and this cluster's
  replication lag is known and at most MAX_LAG_MS.

Every decision that acts, or refuses to act while the writer is down, is
published to the SNS topic; a failed publication is logged and never stops
the run.
"""
import json
import logging
import os
from datetime import datetime, timedelta, timezone

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

# FailoverState.Status values while a switchover or failover runs
# (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverState.html).
RUNNING = frozenset({"pending", "switching-over", "failing-over", "cancelling"})

# Route 53 considers an endpoint healthy when more than 18 % of its checkers
# report it healthy (Route 53 Developer Guide, "How Amazon Route 53
# determines whether a health check is healthy").
HEALTHY_SHARE = 0.18


class Config:
    """The function's environment, set by the failover plugin."""

    def __init__(self, env):
        self.global_cluster_id = env["GLOBAL_CLUSTER_ID"]
        self.target_cluster_arn = env["TARGET_CLUSTER_ARN"]
        self.target_cluster_id = env["TARGET_CLUSTER_ID"]
        self.region = env["TARGET_REGION"]
        # {"us-east-1": "<health check id>", ...}: the other regions' checks.
        self.health_checks = json.loads(env["HEALTH_CHECKS"])
        self.topic_arn = env["TOPIC_ARN"]
        self.allow_data_loss = env.get("ALLOW_DATA_LOSS", "false") == "true"
        self.max_lag_ms = float(env["MAX_LAG_MS"])
        self.lag_window_s = int(env.get("LAG_WINDOW_SECONDS", "300"))
        self.unhealthy_minutes = int(env.get("UNHEALTHY_MINUTES", "3"))
        self.environment = env.get("ENVIRONMENT", "")


# A region that is down shows as a connection that never completes: short
# timeouts and one retry keep a run well inside the function's timeout.
CLIENT_CONFIG = {"connect_timeout": 3, "read_timeout": 10,
                 "retries": {"max_attempts": 2, "mode": "standard"}}


def _client(name, region):
    # In the Lambda runtime; imported late so the tests need neither.
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.client(name, region_name=region, config=BotoConfig(**CLIENT_CONFIG))


class Failover:
    def __init__(self, cfg, client=_client, now=None):
        self.cfg = cfg
        self.client = client
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.rds = client("rds", cfg.region)

    # ------------------------------------------------------------ signals

    def global_cluster(self):
        out = self.rds.describe_global_clusters(GlobalClusterIdentifier=self.cfg.global_cluster_id)
        return out["GlobalClusters"][0]

    def health(self, region):
        """'healthy', 'unhealthy' or 'unknown' for the region's health check."""
        check = self.cfg.health_checks.get(region)
        if not check:
            return "unknown"
        try:
            # Route 53's API (control plane) is hosted in us-east-1 only
            # (AWS Fault Isolation Boundaries, Appendix B): it may fail
            # with that region, hence "unknown" below.
            r53 = self.client("route53", "us-east-1")
            obs = r53.get_health_check_status(HealthCheckId=check)["HealthCheckObservations"]
        except Exception as err:  # noqa: BLE001 - any failure means "cannot tell"
            LOG.warning("health check %s unreadable: %s", check, err)
            return "unknown"
        if not obs:
            return "unknown"
        ok = sum(1 for o in obs
                 if o.get("StatusReport", {}).get("Status", "").startswith("Success"))
        return "healthy" if ok / len(obs) > HEALTHY_SHARE else "unhealthy"

    def reachable(self, cluster_arn, region):
        """Whether the writer cluster answers in its own region and is available."""
        try:
            rds = self.client("rds", region)
            out = rds.describe_db_clusters(DBClusterIdentifier=cluster_arn)
        except Exception as err:  # noqa: BLE001 - an outage shows as any error
            LOG.warning("writer cluster %s unreachable: %s", cluster_arn, err)
            return False
        clusters = out.get("DBClusters", [])
        return bool(clusters) and clusters[0].get("Status") == "available"

    def sustained(self, region):
        """Whether the region's health check has been unhealthy for each of the
        last UNHEALTHY_MINUTES minutes: True, False, or None when CloudWatch in
        us-east-1 (the only region with Route 53 metrics) cannot tell."""
        check = self.cfg.health_checks.get(region)
        minutes = self.cfg.unhealthy_minutes
        if not check:
            return None
        end = self.now()
        try:
            cw = self.client("cloudwatch", "us-east-1")
            out = cw.get_metric_data(
                MetricDataQueries=[
                    {
                        "Id": "health",
                        "MetricStat": {
                            "Metric": {
                                "Namespace": "AWS/Route53",
                                "MetricName": "HealthCheckStatus",
                                "Dimensions": [{"Name": "HealthCheckId", "Value": check}],
                            },
                            "Period": 60,
                            "Stat": "Maximum",
                        },
                        "ReturnData": True,
                    }
                ],
                StartTime=end - timedelta(minutes=minutes + 1),
                EndTime=end,
                ScanBy="TimestampDescending",
            )
        except Exception as err:  # noqa: BLE001 - us-east-1 may be the failed region
            LOG.warning("health history of %s unreadable: %s", check, err)
            return None
        values = [v for r in out.get("MetricDataResults", []) for v in r.get("Values", [])]
        if len(values) < minutes:
            return None
        # 1 healthy, 0 unhealthy: a single healthy minute is a blip, not an outage.
        return max(values[:minutes]) == 0

    def lag_ms(self):
        """Highest AuroraGlobalDBReplicationLag of this cluster over the window,
        or None when CloudWatch has no datapoint in it."""
        cw = self.client("cloudwatch", self.cfg.region)
        end = self.now()
        out = cw.get_metric_data(
            MetricDataQueries=[
                {
                    "Id": "lag",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/RDS",
                            "MetricName": "AuroraGlobalDBReplicationLag",
                            "Dimensions": [
                                {"Name": "DBClusterIdentifier", "Value": self.cfg.target_cluster_id}
                            ],
                        },
                        "Period": 60,
                        "Stat": "Maximum",
                    },
                    "ReturnData": True,
                }
            ],
            StartTime=end - timedelta(seconds=self.cfg.lag_window_s),
            EndTime=end,
        )
        values = [v for r in out.get("MetricDataResults", []) for v in r.get("Values", [])]
        return max(values) if values else None

    # ------------------------------------------------------------ actions

    def notify(self, subject, message):
        LOG.info("%s: %s", subject, message)
        try:
            sns = self.client("sns", self.cfg.region)
            sns.publish(
                TopicArn=self.cfg.topic_arn,
                Subject=f"[{self.cfg.environment}] Aurora failover: {subject}"[:100],
                Message=message,
            )
        except Exception as err:  # noqa: BLE001 - the action matters more
            LOG.error("notification '%s' not sent: %s", subject, err)

    def result(self, action, reason, **extra):
        out = {"action": action, "reason": reason, **extra}
        LOG.info(json.dumps(out, sort_keys=True))
        return out

    def run(self):
        cfg = self.cfg
        gc = self.global_cluster()
        state = gc.get("FailoverState") or {}
        if state.get("Status") in RUNNING:
            # Idempotent: the operation already asked for runs; asking again
            # would fail or, worse, target another cluster.
            return self.result("none", "operation-in-progress", status=state["Status"])

        members = gc.get("GlobalClusterMembers", [])
        writer = next((m for m in members if m.get("IsWriter")), None)
        target = next((m for m in members if m.get("DBClusterArn") == cfg.target_cluster_arn), None)
        if target is None:
            self.notify("cluster not in the global database",
                        f"{cfg.target_cluster_arn} is not a member of {cfg.global_cluster_id}; "
                        "nothing done. See docs/failover.md, failback.")
            return self.result("none", "target-not-member")
        if writer is None:
            self.notify("no writer",
                        f"{cfg.global_cluster_id} has no writer cluster; nothing done.")
            return self.result("none", "no-writer")
        if writer["DBClusterArn"] == cfg.target_cluster_arn:
            return self.result("none", "writer-here")

        writer_arn = writer["DBClusterArn"]
        writer_region = writer_arn.split(":")[3]
        health = self.health(writer_region)
        if health == "healthy":
            return self.result("none", "writer-region-healthy")
        reachable = self.reachable(writer_arn, writer_region)
        if health == "unknown" and reachable:
            # No evidence of a failure: Route 53 cannot be read but the
            # writer answers.
            return self.result("none", "health-unknown-writer-reachable")
        if target.get("SynchronizationStatus") == "pending-resync":
            self.notify("secondary not synchronised",
                        f"{writer_region} looks down but {cfg.target_cluster_arn} is "
                        "pending-resync; nothing done.")
            return self.result("none", "target-not-synchronised")

        # A blip must not move the writer: the unhealthy state must have
        # lasted. A switchover needs that shown; a failover only needs it not
        # contradicted (CloudWatch in us-east-1 may be down with the region).
        sustained = self.sustained(writer_region)
        if sustained is False or (reachable and sustained is None):
            return self.result("none", "unhealthy-not-sustained")
        if reachable:
            return self.switchover(writer_arn, writer_region, health)
        return self.failover(writer_arn, writer_region, health)

    def switchover(self, writer_arn, writer_region, health):
        cfg = self.cfg
        self.notify("switchover starting",
                    f"Health check of {writer_region}: {health}; its writer {writer_arn} still "
                    f"answers. SwitchoverGlobalCluster to {cfg.target_cluster_arn} (no data loss).")
        try:
            self.rds.switchover_global_cluster(
                GlobalClusterIdentifier=cfg.global_cluster_id,
                TargetDbClusterIdentifier=cfg.target_cluster_arn,
            )
        except Exception as err:
            self.notify("switchover failed", f"SwitchoverGlobalCluster failed: {err}")
            raise
        self.notify("switchover started",
                    f"{cfg.global_cluster_id} is switching over to {cfg.region}. Then: "
                    "terraform plan must show no change (docs/failover.md).")
        return self.result("switchover", "writer-region-unhealthy", source=writer_arn)

    def failover(self, writer_arn, writer_region, health):
        cfg = self.cfg
        if not cfg.allow_data_loss:
            self.notify("writer down, failover not allowed",
                        f"Health check of {writer_region}: {health}; its writer {writer_arn} does "
                        "not answer. failover.allow_data_loss is off: nothing done. Follow the "
                        "manual failover in docs/failover.md.")
            return self.result("none", "data-loss-not-allowed")
        lag = self.lag_ms()
        if lag is None:
            self.notify("writer down, lag unknown",
                        f"{writer_region} is down and {cfg.target_cluster_id} reported no "
                        f"replication lag in the last {cfg.lag_window_s} s: the data at risk is "
                        "unknown, nothing done.")
            return self.result("none", "lag-unknown")
        if lag > cfg.max_lag_ms:
            self.notify("writer down, lag too high",
                        f"{writer_region} is down; replication lag {lag:.0f} ms exceeds "
                        f"{cfg.max_lag_ms:.0f} ms: nothing done.")
            return self.result("none", "lag-too-high", lag_ms=lag)
        self.notify("failover starting",
                    f"{writer_region} is down (health check {health}, writer {writer_arn} does not "
                    f"answer). Replication lag {lag:.0f} ms (bound {cfg.max_lag_ms:.0f} ms): "
                    f"FailoverGlobalCluster with AllowDataLoss to {cfg.target_cluster_arn}.")
        try:
            self.rds.failover_global_cluster(
                GlobalClusterIdentifier=cfg.global_cluster_id,
                TargetDbClusterIdentifier=cfg.target_cluster_arn,
                AllowDataLoss=True,
            )
        except Exception as err:
            self.notify("failover failed", f"FailoverGlobalCluster failed: {err}")
            raise
        self.notify("failover started",
                    f"{cfg.global_cluster_id} is failing over to {cfg.region}; up to {lag:.0f} ms "
                    "of writes may be lost. Then: terraform plan, failback (docs/failover.md).")
        return self.result("failover", "writer-region-down", source=writer_arn, lag_ms=lag)


def handler(event, context):  # noqa: ARG001 - Lambda's signature
    return Failover(Config(os.environ)).run()
