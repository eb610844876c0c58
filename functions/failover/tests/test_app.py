# SPDX-License-Identifier: Apache-2.0
"""Unit tests of the failover function with stubbed AWS clients (no network,
no boto3): each test sets what RDS, Route 53 and CloudWatch answer and checks
which global-cluster call was made, with which arguments, and what was
published."""
import logging
import os
import sys
import types
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import app as fh  # noqa: E402

ACCOUNT = "123456789012"
PRIMARY = f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:payment-db-production-abc123-use1"
TARGET = f"arn:aws:rds:us-east-2:{ACCOUNT}:cluster:payment-db-production-abc123-use2"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def setUpModule():
    logging.disable(logging.CRITICAL)  # the function logs every decision


def tearDownModule():
    logging.disable(logging.NOTSET)

ENV = {
    "GLOBAL_CLUSTER_ID": "payment-db-global-production-abc123",
    "TARGET_CLUSTER_ARN": TARGET,
    "TARGET_CLUSTER_ID": "payment-db-production-abc123-use2",
    "TARGET_REGION": "us-east-2",
    "HEALTH_CHECKS": '{"us-east-1": "hc-use1"}',
    "TOPIC_ARN": f"arn:aws:sns:us-east-2:{ACCOUNT}:payment-alarms-production-abc123-use2",
    "ALLOW_DATA_LOSS": "false",
    "MAX_LAG_MS": "1000",
    "LAG_WINDOW_SECONDS": "300",
    "UNHEALTHY_MINUTES": "3",
    "ENVIRONMENT": "production",
}


class Unreachable(Exception):
    pass


def observations(ok, failing):
    return [{"StatusReport": {"Status": "Success: HTTP Status Code 200, OK"}}] * ok + [
        {"StatusReport": {"Status": "Failure: Connection timed out."}}
    ] * failing


class Stub:
    """One fake client; answers from a dict, raising values that are
    exceptions, and records every call."""

    def __init__(self, world, name, region):
        self.world, self.name, self.region = world, name, region

    def __getattr__(self, op):
        def call(**kwargs):
            self.world.calls.append((self.name, self.region, op, kwargs))
            answer = self.world.answers.get((self.name, self.region, op))
            if isinstance(answer, Exception):
                raise answer
            return answer
        return call


class World:
    def __init__(self):
        self.calls = []
        self.answers = {}
        self.global_cluster()
        self.health(ok=16, failing=0)
        self.writer_status("available")
        self.answers[("sns", "us-east-2", "publish")] = {"MessageId": "1"}
        self.answers[("rds", "us-east-2", "switchover_global_cluster")] = {}
        self.answers[("rds", "us-east-2", "failover_global_cluster")] = {}
        self.lag([])
        self.history([0.0, 0.0, 0.0, 0.0])

    def history(self, values=None, error=None):
        """HealthCheckStatus per minute, newest first (1 healthy, 0 not)."""
        self.answers[("cloudwatch", "us-east-1", "get_metric_data")] = (
            error or {"MetricDataResults": [{"Id": "health", "Values": values}]})

    def global_cluster(self, writer=PRIMARY, state=None, sync="connected", members=None):
        gc = {
            "GlobalClusterIdentifier": ENV["GLOBAL_CLUSTER_ID"],
            "GlobalClusterMembers": members if members is not None else [
                {"DBClusterArn": PRIMARY, "IsWriter": writer == PRIMARY},
                {"DBClusterArn": TARGET, "IsWriter": writer == TARGET,
                 "SynchronizationStatus": sync},
            ],
        }
        if state:
            gc["FailoverState"] = {"Status": state}
        self.answers[("rds", "us-east-2", "describe_global_clusters")] = {"GlobalClusters": [gc]}

    def health(self, ok=0, failing=0, error=None):
        self.answers[("route53", "us-east-1", "get_health_check_status")] = (
            error or {"HealthCheckObservations": observations(ok, failing)})

    def writer_status(self, status=None, error=None):
        self.answers[("rds", "us-east-1", "describe_db_clusters")] = (
            error or {"DBClusters": [{"DBClusterArn": PRIMARY, "Status": status}]})

    def lag(self, values):
        self.answers[("cloudwatch", "us-east-2", "get_metric_data")] = {
            "MetricDataResults": [{"Id": "lag", "Values": values}]}

    def client(self, name, region):
        return Stub(self, name, region)

    def ops(self, op):
        return [c for c in self.calls if c[2] == op]

    def subjects(self):
        return [c[3]["Subject"] for c in self.ops("publish")]


def run(world, **env):
    cfg = fh.Config({**ENV, **env})
    return fh.Failover(cfg, client=world.client, now=lambda: NOW).run()


class Healthy(unittest.TestCase):
    def test_healthy_primary_does_nothing(self):
        w = World()
        self.assertEqual(run(w)["reason"], "writer-region-healthy")
        self.assertEqual(w.ops("switchover_global_cluster"), [])
        self.assertEqual(w.ops("failover_global_cluster"), [])
        self.assertEqual(w.ops("publish"), [])
        # The health check of the writer's region, read through us-east-1.
        (call,) = w.ops("get_health_check_status")
        self.assertEqual(call[1], "us-east-1")
        self.assertEqual(call[3], {"HealthCheckId": "hc-use1"})

    def test_eighteen_percent_rule(self):
        w = World()
        w.health(ok=3, failing=13)  # 18.75 % healthy: Route 53 calls that healthy
        self.assertEqual(run(w)["reason"], "writer-region-healthy")
        w = World()
        w.health(ok=2, failing=14)  # 12.5 %
        self.assertEqual(run(w)["action"], "switchover")

    def test_writer_already_here(self):
        w = World()
        w.global_cluster(writer=TARGET)
        w.health(ok=0, failing=16)
        self.assertEqual(run(w)["reason"], "writer-here")
        self.assertEqual(w.ops("get_health_check_status"), [])
        self.assertEqual(w.ops("publish"), [])


class Switchover(unittest.TestCase):
    def test_unhealthy_reachable_writer_switches_over(self):
        w = World()
        w.health(ok=0, failing=16)
        out = run(w)
        self.assertEqual(out["action"], "switchover")
        (call,) = w.ops("switchover_global_cluster")
        self.assertEqual(call[1], "us-east-2")
        self.assertEqual(call[3], {"GlobalClusterIdentifier": ENV["GLOBAL_CLUSTER_ID"],
                                   "TargetDbClusterIdentifier": TARGET})
        self.assertEqual(w.ops("failover_global_cluster"), [])
        # No lag needed: a switchover synchronises first.
        self.assertEqual([c for c in w.ops("get_metric_data") if c[1] == "us-east-2"], [])
        subjects = w.subjects()
        self.assertEqual(len(subjects), 2)
        self.assertIn("switchover starting", subjects[0])
        self.assertIn("switchover started", subjects[1])
        for c in w.ops("publish"):
            self.assertEqual(c[3]["TopicArn"], ENV["TOPIC_ARN"])
            self.assertLessEqual(len(c[3]["Subject"]), 100)

    def test_writer_status_checked_in_its_own_region(self):
        w = World()
        w.health(ok=0, failing=16)
        run(w)
        (call,) = w.ops("describe_db_clusters")
        self.assertEqual(call[1], "us-east-1")
        self.assertEqual(call[3], {"DBClusterIdentifier": PRIMARY})

    def test_switchover_error_is_notified_and_raised(self):
        w = World()
        w.health(ok=0, failing=16)
        w.answers[("rds", "us-east-2", "switchover_global_cluster")] = RuntimeError(
            "InvalidGlobalClusterStateFault")
        with self.assertRaises(RuntimeError):
            run(w)
        self.assertIn("switchover failed", w.subjects()[-1])


class Sustained(unittest.TestCase):
    def test_blip_does_not_switch_over(self):
        w = World()
        w.health(ok=0, failing=16)
        w.history([0.0, 1.0, 1.0, 1.0])  # unhealthy for one minute only
        self.assertEqual(run(w)["reason"], "unhealthy-not-sustained")
        self.assertEqual(w.ops("switchover_global_cluster"), [])
        self.assertEqual(w.ops("publish"), [])

    def test_history_query(self):
        w = World()
        w.health(ok=0, failing=16)
        run(w)
        (call,) = [c for c in w.ops("get_metric_data") if c[1] == "us-east-1"]
        q = call[3]["MetricDataQueries"][0]["MetricStat"]
        self.assertEqual(q["Metric"]["Namespace"], "AWS/Route53")
        self.assertEqual(q["Metric"]["MetricName"], "HealthCheckStatus")
        self.assertEqual(q["Metric"]["Dimensions"], [{"Name": "HealthCheckId", "Value": "hc-use1"}])
        self.assertEqual(q["Stat"], "Maximum")
        self.assertEqual(call[3]["ScanBy"], "TimestampDescending")
        self.assertEqual((call[3]["EndTime"] - call[3]["StartTime"]).total_seconds(), 240)

    def test_too_little_history_does_not_switch_over(self):
        w = World()
        w.health(ok=0, failing=16)
        w.history([0.0, 0.0])
        self.assertEqual(run(w)["reason"], "unhealthy-not-sustained")

    def test_unreadable_history_does_not_switch_over(self):
        w = World()
        w.health(ok=0, failing=16)
        w.history(error=Unreachable("monitoring.us-east-1"))
        self.assertEqual(run(w)["reason"], "unhealthy-not-sustained")
        self.assertEqual(w.ops("switchover_global_cluster"), [])

    def test_unreadable_history_does_not_stop_a_failover(self):
        # us-east-1 down: its CloudWatch with it.
        w = World()
        w.health(error=Unreachable("route53"))
        w.writer_status(error=Unreachable("rds.us-east-1"))
        w.history(error=Unreachable("monitoring.us-east-1"))
        w.lag([20.0])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["action"], "failover")

    def test_healthy_minute_stops_a_failover(self):
        w = World()
        w.health(ok=0, failing=16)
        w.writer_status(error=Unreachable("rds.us-east-1"))
        w.history([0.0, 0.0, 1.0])
        w.lag([20.0])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["reason"], "unhealthy-not-sustained")
        self.assertEqual(w.ops("failover_global_cluster"), [])


class Idempotent(unittest.TestCase):
    def test_running_operation_does_nothing(self):
        for status in ("pending", "switching-over", "failing-over", "cancelling"):
            w = World()
            w.global_cluster(state=status)
            w.health(ok=0, failing=16)
            w.writer_status(error=Unreachable("timeout"))
            out = run(w, ALLOW_DATA_LOSS="true")
            self.assertEqual(out["reason"], "operation-in-progress", status)
            self.assertEqual(w.ops("switchover_global_cluster"), [])
            self.assertEqual(w.ops("failover_global_cluster"), [])
            self.assertEqual(w.ops("publish"), [])

    def test_second_run_after_switchover_started(self):
        w = World()
        w.health(ok=0, failing=16)
        self.assertEqual(run(w)["action"], "switchover")
        w.global_cluster(state="switching-over")  # what RDS reports next
        self.assertEqual(run(w)["reason"], "operation-in-progress")
        self.assertEqual(len(w.ops("switchover_global_cluster")), 1)


class Failover(unittest.TestCase):
    def down(self):
        w = World()
        w.health(ok=0, failing=16)
        w.writer_status(error=Unreachable("Could not connect to the endpoint URL"))
        return w

    def test_not_allowed_by_default(self):
        w = self.down()
        self.assertEqual(run(w)["reason"], "data-loss-not-allowed")
        self.assertEqual(w.ops("failover_global_cluster"), [])
        self.assertEqual(w.ops("switchover_global_cluster"), [])
        self.assertEqual([c for c in w.ops("get_metric_data") if c[1] == "us-east-2"], [])
        self.assertIn("failover not allowed", w.subjects()[0])

    def test_allowed_with_known_small_lag(self):
        w = self.down()
        w.lag([120.0, 480.0, 300.0])
        out = run(w, ALLOW_DATA_LOSS="true")
        self.assertEqual(out["action"], "failover")
        self.assertEqual(out["lag_ms"], 480.0)  # the highest in the window
        (call,) = w.ops("failover_global_cluster")
        self.assertEqual(call[1], "us-east-2")
        self.assertEqual(call[3], {"GlobalClusterIdentifier": ENV["GLOBAL_CLUSTER_ID"],
                                   "TargetDbClusterIdentifier": TARGET,
                                   "AllowDataLoss": True})
        subjects = w.subjects()
        self.assertIn("failover starting", subjects[0])
        self.assertIn("failover started", subjects[1])

    def test_lag_query(self):
        w = self.down()
        w.lag([10.0])
        run(w, ALLOW_DATA_LOSS="true")
        (call,) = [c for c in w.ops("get_metric_data") if c[1] == "us-east-2"]
        q = call[3]["MetricDataQueries"][0]["MetricStat"]
        self.assertEqual(q["Metric"]["Namespace"], "AWS/RDS")
        self.assertEqual(q["Metric"]["MetricName"], "AuroraGlobalDBReplicationLag")
        self.assertEqual(q["Metric"]["Dimensions"],
                         [{"Name": "DBClusterIdentifier", "Value": ENV["TARGET_CLUSTER_ID"]}])
        self.assertEqual(q["Stat"], "Maximum")
        self.assertEqual((call[3]["EndTime"] - call[3]["StartTime"]).total_seconds(), 300)

    def test_unknown_lag_refuses(self):
        w = self.down()
        w.lag([])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["reason"], "lag-unknown")
        self.assertEqual(w.ops("failover_global_cluster"), [])
        self.assertIn("lag unknown", w.subjects()[0])

    def test_lag_over_bound_refuses(self):
        w = self.down()
        w.lag([1500.0])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["reason"], "lag-too-high")
        self.assertEqual(w.ops("failover_global_cluster"), [])
        w = self.down()
        w.lag([1000.0])  # the bound itself is accepted
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["action"], "failover")

    def test_writer_not_available_counts_as_down(self):
        w = World()
        w.health(ok=0, failing=16)
        w.writer_status(status="inaccessible-encryption-credentials")
        self.assertEqual(run(w)["reason"], "data-loss-not-allowed")

    def test_route53_unreadable_and_writer_down(self):
        # us-east-1 lost: Route 53's API and the writer both fail.
        w = self.down()
        w.health(error=Unreachable("route53 endpoint"))
        w.lag([50.0])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["action"], "failover")

    def test_route53_unreadable_writer_fine_does_nothing(self):
        w = World()
        w.health(error=Unreachable("throttled"))
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["reason"],
                         "health-unknown-writer-reachable")
        self.assertEqual(w.ops("publish"), [])

    def test_pending_resync_target_refuses(self):
        w = self.down()
        w.global_cluster(sync="pending-resync")
        w.lag([1.0])
        self.assertEqual(run(w, ALLOW_DATA_LOSS="true")["reason"], "target-not-synchronised")
        self.assertEqual(w.ops("failover_global_cluster"), [])


class Robustness(unittest.TestCase):
    def test_failed_notification_does_not_stop_the_switchover(self):
        w = World()
        w.health(ok=0, failing=16)
        w.answers[("sns", "us-east-2", "publish")] = RuntimeError("KMS.AccessDeniedException")
        self.assertEqual(run(w)["action"], "switchover")
        self.assertEqual(len(w.ops("switchover_global_cluster")), 1)

    def test_target_not_member(self):
        w = World()
        w.global_cluster(members=[{"DBClusterArn": PRIMARY, "IsWriter": True}])
        w.health(ok=0, failing=16)
        self.assertEqual(run(w)["reason"], "target-not-member")
        self.assertEqual(w.ops("switchover_global_cluster"), [])

    def test_no_writer(self):
        w = World()
        w.global_cluster(writer=None)
        self.assertEqual(run(w)["reason"], "no-writer")
        self.assertIn("no writer", w.subjects()[0])

    def test_no_health_check_for_writer_region_and_writer_down(self):
        w = World()
        w.writer_status(error=Unreachable("x"))
        self.assertEqual(run(w, HEALTH_CHECKS="{}")["reason"], "data-loss-not-allowed")

    def test_clients_time_out_fast(self):
        # A dead region must not hold a run until the function's timeout.
        made = []
        boto3 = types.ModuleType("boto3")
        boto3.client = lambda name, **kw: made.append((name, kw)) or object()
        botocore = types.ModuleType("botocore")
        config = types.ModuleType("botocore.config")
        config.Config = lambda **kw: kw
        saved = {k: sys.modules.get(k) for k in ("boto3", "botocore", "botocore.config")}
        sys.modules.update({"boto3": boto3, "botocore": botocore, "botocore.config": config})
        try:
            fh._client("rds", "us-east-1")
        finally:
            for k, v in saved.items():
                if v is None:
                    sys.modules.pop(k, None)
                else:
                    sys.modules[k] = v
        ((name, kw),) = made
        self.assertEqual(name, "rds")
        self.assertEqual(kw["region_name"], "us-east-1")
        self.assertEqual(kw["config"]["connect_timeout"], 3)
        self.assertEqual(kw["config"]["read_timeout"], 10)
        self.assertEqual(kw["config"]["retries"]["max_attempts"], 2)

    def test_handler_reads_environment(self):
        cfg = fh.Config(ENV)
        self.assertEqual(cfg.health_checks, {"us-east-1": "hc-use1"})
        self.assertFalse(cfg.allow_data_loss)
        self.assertEqual(cfg.max_lag_ms, 1000.0)
        self.assertTrue(fh.Config({**ENV, "ALLOW_DATA_LOSS": "true"}).allow_data_loss)


if __name__ == "__main__":
    unittest.main()
