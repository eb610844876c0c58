# SPDX-License-Identifier: Apache-2.0
"""Phase reporter: publishes the migration phase as a CloudWatch metric.

Deployed by the migration plugin in the primary region and run on an
EventBridge schedule. Each run reads the phase parameter (SSM), puts
<METRIC_NAMESPACE>/<METRIC_NAME>{Environment} = the phase's number (the
monitoring plugin's phase alarm expects the number of the generated phase
and treats silence as breaching) and logs the weights of the service
record for the operators. It never writes DNS: the weights belong to
Terraform variables, and a change made here would be reverted by the next
apply. The role allows exactly these calls (plugins/migration).
"""

import json
import os

# Phase numbers as paygen numbers them (pg_phase + 1).
PHASES = {"legacy": 1, "migration": 2, "production": 3}

REQUIRED = (
    "ZONE_ID",
    "RECORD_NAME",
    "METRIC_NAMESPACE",
    "METRIC_NAME",
    "ENVIRONMENT",
    "PHASE",
    "PHASE_NUMBER",
    "PHASE_PARAMETER",
)


class ConfigError(Exception):
    """The function's environment is incomplete or inconsistent."""


def load_config(env):
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise ConfigError("missing environment variables: " + ", ".join(missing))
    config = {name: env[name] for name in REQUIRED}
    phase = config["PHASE"]
    if phase not in PHASES:
        raise ConfigError(f"PHASE {phase!r} is not one of {', '.join(PHASES)}")
    if config["PHASE_NUMBER"] != str(PHASES[phase]):
        raise ConfigError(
            f"PHASE_NUMBER {config['PHASE_NUMBER']!r} does not match PHASE {phase!r}"
        )
    return config


def _clients():
    # Imported here: the Lambda runtime provides boto3, the tests do not need it.
    import boto3

    return {
        "ssm": boto3.client("ssm"),
        "cloudwatch": boto3.client("cloudwatch"),
        "route53": boto3.client("route53"),
    }


def read_phase(ssm, config):
    """The phase the parameter holds, and its number."""
    value = ssm.get_parameter(Name=config["PHASE_PARAMETER"])["Parameter"]["Value"]
    if value not in PHASES:
        raise ConfigError(
            f"parameter {config['PHASE_PARAMETER']} holds {value!r}, not a phase"
        )
    return value, PHASES[value]


def record_weights(route53, config):
    """{set identifier: weight} of the weighted records named RECORD_NAME."""
    name = config["RECORD_NAME"].rstrip(".") + "."
    weights = {}
    kwargs = {"HostedZoneId": config["ZONE_ID"], "StartRecordName": name}
    while True:
        page = route53.list_resource_record_sets(**kwargs)
        for record in page.get("ResourceRecordSets", []):
            if record.get("Name") != name:
                return weights  # sorted by name: past the record
            if "Weight" in record:
                weights[record.get("SetIdentifier", "")] = record["Weight"]
        if not page.get("IsTruncated"):
            return weights
        kwargs = {
            "HostedZoneId": config["ZONE_ID"],
            "StartRecordName": page["NextRecordName"],
            "StartRecordType": page["NextRecordType"],
        }
        if "NextRecordIdentifier" in page:
            kwargs["StartRecordIdentifier"] = page["NextRecordIdentifier"]


def handler(event, context, clients=None, env=None):
    config = load_config(os.environ if env is None else env)
    clients = clients or _clients()
    phase, number = read_phase(clients["ssm"], config)
    if phase != config["PHASE"]:
        # A partial apply: the parameter and the function disagree. The
        # parameter's phase is reported, so the phase alarm shows it.
        print(json.dumps({
            "level": "WARNING",
            "message": "phase parameter and function disagree",
            "parameter": phase,
            "function": config["PHASE"],
        }))
    clients["cloudwatch"].put_metric_data(
        Namespace=config["METRIC_NAMESPACE"],
        MetricData=[{
            "MetricName": config["METRIC_NAME"],
            "Dimensions": [{"Name": "Environment", "Value": config["ENVIRONMENT"]}],
            "Value": float(number),
            "Unit": "None",
        }],
    )
    try:
        weights = record_weights(clients["route53"], config)
    except Exception as error:  # informational only: the metric is out already
        weights = None
        print(json.dumps({"level": "WARNING", "message": "cannot read the record weights",
                          "error": str(error)}))
    result = {"phase": phase, "value": number, "weights": weights}
    print(json.dumps({"level": "INFO", "message": "phase reported", **result}, sort_keys=True))
    return result
