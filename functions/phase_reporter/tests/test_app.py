# SPDX-License-Identifier: Apache-2.0
"""Unit tests of the phase reporter, with stubbed AWS clients (no network)."""

import contextlib
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import app  # noqa: E402

ENV = {
    "ZONE_ID": "Z123",
    "RECORD_NAME": "api.example.com",
    "METRIC_NAMESPACE": "Payment/Migration",
    "METRIC_NAME": "MigrationPhase",
    "ENVIRONMENT": "production",
    "PHASE": "migration",
    "PHASE_NUMBER": "2",
    "PHASE_PARAMETER": "/payment/production-abc123/migration/phase",
}


class Recorder:
    """A client stub: answers from a table and records every call."""

    def __init__(self, **answers):
        self.answers = answers
        self.calls = []

    def __getattr__(self, name):
        def call(**kwargs):
            self.calls.append((name, kwargs))
            answer = self.answers.get(name)
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, list):
                return answer.pop(0)
            return answer if answer is not None else {}

        return call


def clients(phase="migration", record_pages=None):
    pages = record_pages if record_pages is not None else [{
        "ResourceRecordSets": [
            {"Name": "api.example.com.", "Type": "A", "SetIdentifier": "use1", "Weight": 100},
            {"Name": "api.example.com.", "Type": "A", "SetIdentifier": "usw2", "Weight": 0},
            {"Name": "www.example.com.", "Type": "A", "SetIdentifier": "x", "Weight": 5},
        ],
        "IsTruncated": True,
        "NextRecordName": "www.example.com.",
        "NextRecordType": "A",
    }]
    return {
        "ssm": Recorder(get_parameter={"Parameter": {"Value": phase}}),
        "cloudwatch": Recorder(),
        "route53": Recorder(list_resource_record_sets=pages),
    }


def run(c, env=ENV):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        result = app.handler({}, None, clients=c, env=env)
    return result, out.getvalue()


class PhaseReporterTest(unittest.TestCase):
    def test_reports_the_phase_number(self):
        c = clients()
        result, _ = run(c)
        self.assertEqual(result["value"], 2)
        self.assertEqual(c["ssm"].calls, [
            ("get_parameter", {"Name": "/payment/production-abc123/migration/phase"})])
        [(name, kwargs)] = c["cloudwatch"].calls
        self.assertEqual(name, "put_metric_data")
        self.assertEqual(kwargs["Namespace"], "Payment/Migration")
        [datum] = kwargs["MetricData"]
        self.assertEqual(datum["MetricName"], "MigrationPhase")
        self.assertEqual(datum["Dimensions"], [{"Name": "Environment", "Value": "production"}])
        self.assertEqual(datum["Value"], 2.0)

    def test_reads_weights_of_its_record_only(self):
        c = clients()
        result, log = run(c)
        self.assertEqual(result["weights"], {"use1": 100, "usw2": 0})
        self.assertEqual(c["route53"].calls, [
            ("list_resource_record_sets",
             {"HostedZoneId": "Z123", "StartRecordName": "api.example.com."})])
        self.assertIn('"phase reported"', log)

    def test_follows_pages(self):
        pages = [
            {"ResourceRecordSets": [{"Name": "api.example.com.", "SetIdentifier": "use1",
                                     "Weight": 50}],
             "IsTruncated": True, "NextRecordName": "api.example.com.",
             "NextRecordType": "A", "NextRecordIdentifier": "usw2"},
            {"ResourceRecordSets": [{"Name": "api.example.com.", "SetIdentifier": "usw2",
                                     "Weight": 50}],
             "IsTruncated": False},
        ]
        c = clients(record_pages=pages)
        result, _ = run(c)
        self.assertEqual(result["weights"], {"use1": 50, "usw2": 50})
        self.assertEqual(c["route53"].calls[1][1]["StartRecordIdentifier"], "usw2")

    def test_never_writes_dns(self):
        c = clients()
        run(c)
        self.assertEqual([name for name, _ in c["route53"].calls],
                         ["list_resource_record_sets"])

    def test_route53_failure_still_reports(self):
        c = clients()
        c["route53"].answers["list_resource_record_sets"] = RuntimeError("throttled")
        result, log = run(c)
        self.assertIsNone(result["weights"])
        self.assertEqual(len(c["cloudwatch"].calls), 1)
        self.assertIn("cannot read the record weights", log)

    def test_parameter_disagreeing_is_reported_as_is(self):
        c = clients(phase="production")
        result, log = run(c)
        self.assertEqual(result["value"], 3)
        self.assertEqual(c["cloudwatch"].calls[0][1]["MetricData"][0]["Value"], 3.0)
        self.assertIn("disagree", log)

    def test_bad_parameter_publishes_nothing(self):
        c = clients(phase="cutover")
        with self.assertRaises(app.ConfigError):
            run(c)
        self.assertEqual(c["cloudwatch"].calls, [])

    def test_missing_environment(self):
        env = dict(ENV)
        del env["ZONE_ID"]
        with self.assertRaisesRegex(app.ConfigError, "ZONE_ID"):
            run(clients(), env)

    def test_phase_number_must_match(self):
        env = dict(ENV, PHASE_NUMBER="3")
        with self.assertRaisesRegex(app.ConfigError, "PHASE_NUMBER"):
            run(clients(), env)


if __name__ == "__main__":
    unittest.main()
