/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules.c - the rule table: every PCI DSS guardrail with its id,
 * title, references, severity, the types it looks at and its function (in
 * check_rules_*.c), in the order paygen check runs and lists them. */
#include "check.h"
#include "check_rules.h"

const char *pg_severity_name(pg_severity s)
{
    static const char *const names[] = {"low", "medium", "high", "critical"};
    return names[s];
}

#define IAM_TYPES "data.aws_iam_policy_document aws_iam_policy aws_iam_role_policy aws_iam_user_policy aws_iam_group_policy aws_iam_role"
#define LB_TYPES "aws_lb aws_alb"
#define LISTENER_TYPES "aws_lb_listener aws_alb_listener"
#define SG_TYPES "aws_vpc_security_group_ingress_rule aws_security_group_rule aws_security_group"

static const pg_rule rules[] = {
    {"PCI-S3-001", "S3 bucket blocks all public access", "1.3.1, 1.4.4", "S3.8", PG_SEV_HIGH, "aws_s3_bucket",
     pg_rule_s3_public_access, "each bucket has an aws_s3_bucket_public_access_block with all four settings true"},
    {"PCI-S3-002", "S3 bucket encrypted with a customer managed KMS key", "3.5.1", "S3.17", PG_SEV_HIGH,
     "aws_s3_bucket", pg_rule_s3_encryption,
     "sse_algorithm aws:kms and kms_master_key_id naming a CMK; exception: a bucket that only receives ELB "
     "access logs (tag Purpose=elb-access-logs, or the access_logs bucket of an aws_lb) may use AES256, the "
     "only encryption ELB log delivery supports"},
    {"PCI-S3-003", "S3 bucket policy denies insecure transport", "4.2.1, 1.2.5", "S3.5", PG_SEV_HIGH,
     "aws_s3_bucket", pg_rule_s3_tls_only, "an aws_s3_bucket_policy with a Deny statement on aws:SecureTransport = false"},
    {"PCI-S3-004", "S3 bucket versioning enabled", "10.3.4", "S3.14", PG_SEV_MEDIUM, "aws_s3_bucket",
     pg_rule_s3_versioning, "aws_s3_bucket_versioning with status Enabled"},
    {"PCI-RDS-001", "Aurora storage encrypted with a customer managed KMS key", "3.5.1", "RDS.27", PG_SEV_HIGH,
     "aws_rds_cluster aws_rds_global_cluster", pg_rule_rds_encryption,
     "storage_encrypted true and kms_key_id naming a CMK on each cluster; storage_encrypted on global clusters"},
    {"PCI-RDS-002", "Aurora cluster parameter group forces SSL", "4.2.1", NULL, PG_SEV_HIGH, "aws_rds_cluster",
     pg_rule_rds_force_ssl, "the cluster's aws_rds_cluster_parameter_group sets rds.force_ssl = 1"},
    {"PCI-RDS-003", "Aurora deletion protection", "10.3.3", "RDS.7", PG_SEV_MEDIUM,
     "aws_rds_cluster aws_rds_global_cluster", pg_rule_rds_deletion_protection,
     "deletion_protection true when the profile's protection switch is on (manifest profile.protection)"},
    {"PCI-RDS-004", "Aurora backup retention of at least 7 days", "10.3.3, 10.5.1", NULL, PG_SEV_MEDIUM,
     "aws_rds_cluster", pg_rule_rds_backup, "backup_retention_period >= 7 (the default is 1)"},
    {"PCI-RDS-005", "Database instances not publicly accessible", "1.3.1", "RDS.2", PG_SEV_CRITICAL,
     "aws_rds_cluster_instance aws_db_instance", pg_rule_rds_not_public, "publicly_accessible is not true"},
    {"PCI-KMS-001", "KMS key rotation enabled", "3.7.4", "KMS.4", PG_SEV_MEDIUM, "aws_kms_key", pg_rule_kms_rotation,
     "enable_key_rotation true on every symmetric aws_kms_key"},
    {"PCI-KMS-002", "KMS key policy present, no \"*\" principal", "3.7.5", NULL, PG_SEV_HIGH, "aws_kms_key",
     pg_rule_kms_policy, "a policy (or aws_kms_key_policy) whose Allow statements never name principal \"*\""},
    {"PCI-IAM-001", "No IAM wildcard actions", "7.2.1, 7.2.2", "IAM.1, IAM.21", PG_SEV_HIGH, IAM_TYPES,
     pg_rule_iam_wildcard_action,
     "no identity-policy Allow statement with action \"*\" or \"service:*\" (policy documents and literal policies)"},
    {"PCI-IAM-002", "No write actions on resource \"*\" without a condition", "7.2.1, 7.2.2", NULL, PG_SEV_HIGH,
     IAM_TYPES, pg_rule_iam_wildcard_resource,
     "an identity-policy Allow statement on resource \"*\" has a condition or only read actions (Get, List, "
     "Describe...) or actions AWS cannot scope to a resource (cloudwatch:PutMetricData, xray:Put*, ...)"},
    {"PCI-ELB-001", "HTTPS listeners use a TLS 1.2+ policy", "4.2.1", "ELB.17", PG_SEV_HIGH, LISTENER_TYPES,
     pg_rule_elb_tls_policy, "ssl_policy ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS-1-2-*"},
    {"PCI-ELB-002", "HTTP listeners only redirect to HTTPS", "4.2.1, 2.2.7", "ELB.1", PG_SEV_HIGH, LISTENER_TYPES,
     pg_rule_elb_http_redirect, "every action of an HTTP listener (and its rules) is a redirect with protocol HTTPS"},
    {"PCI-ELB-003", "ALB drops invalid header fields", "6.2.4, 10.2.1", "ELB.4", PG_SEV_MEDIUM, LB_TYPES,
     pg_rule_elb_drop_invalid_headers, "drop_invalid_header_fields true on application load balancers"},
    {"PCI-ELB-004", "ALB access logs enabled", "10.2.1", "ELB.5", PG_SEV_MEDIUM, LB_TYPES, pg_rule_elb_access_logs,
     "access_logs with enabled true and a bucket"},
    {"PCI-ELB-005", "Internet-facing ALB behind a WAF web ACL", "6.4.1, 6.4.2", "ELB.16", PG_SEV_HIGH,
     LB_TYPES, pg_rule_elb_waf, "an aws_wafv2_web_acl_association whose resource_arn references the load balancer"},
    {"PCI-WAF-001", "WAF web ACLs log the requests they inspect", "10.2.1, 10.4.2", "WAF.11", PG_SEV_MEDIUM,
     "aws_wafv2_web_acl", pg_rule_waf_logging,
     "an aws_wafv2_web_acl_logging_configuration whose resource_arn references the web ACL"},
    {"PCI-EC2-001", "No ingress from anywhere except web ports on the load balancer", "1.3.1, 1.2.8",
     "EC2.18, EC2.19", PG_SEV_CRITICAL, SG_TYPES, pg_rule_open_ingress,
     "0.0.0.0/0 or ::/0 ingress only on port 443 or 80 of a security group attached to an aws_lb"},
    {"PCI-EC2-002", "Default security group has no rules", "1.3.1, 1.2.8", "EC2.2", PG_SEV_MEDIUM, "aws_vpc",
     pg_rule_default_sg, "each VPC has an aws_default_security_group without ingress or egress"},
    {"PCI-EC2-003", "VPC flow logs capture all traffic", "10.2.1", "EC2.6", PG_SEV_MEDIUM, "aws_vpc", pg_rule_flow_logs,
     "each VPC has an aws_flow_log with traffic_type ALL"},
    {"PCI-EC2-004", "Transit gateway does not auto-accept attachments", "1.2.1", "EC2.23", PG_SEV_MEDIUM,
     "aws_ec2_transit_gateway", pg_rule_tgw_auto_accept, "auto_accept_shared_attachments is disable (the default)"},
    {"PCI-LOG-001", "Log groups encrypted with a customer managed KMS key", "3.5.1", NULL, PG_SEV_MEDIUM,
     "aws_cloudwatch_log_group", pg_rule_log_kms, "kms_key_id naming a CMK"},
    {"PCI-LOG-002", "Log groups keep logs for at least a year", "10.5.1", "CloudWatch.16", PG_SEV_MEDIUM,
     "aws_cloudwatch_log_group", pg_rule_log_retention, "retention_in_days >= 365 (or unset/0: never expire)"},
    {"PCI-ECS-001", "ECS containers not privileged", "7.2.1", "ECS.4", PG_SEV_HIGH, "aws_ecs_task_definition",
     pg_rule_ecs_privileged, "no container sets privileged; container_definitions must be literal JSON to be verified"},
    {"PCI-ECS-002", "ECS containers have a read-only root filesystem", "7.2.1", "ECS.5", PG_SEV_MEDIUM,
     "aws_ecs_task_definition", pg_rule_ecs_readonly, "readonlyRootFilesystem true in every container"},
    {"PCI-ECS-003", "ECS secrets come from secrets[].valueFrom", "3.5.1, 8.3.2", "ECS.8", PG_SEV_HIGH,
     "aws_ecs_task_definition", pg_rule_ecs_secrets,
     "no environment variable named like PASSWORD/SECRET/TOKEN/API_KEY carries a value; every secret has valueFrom"},
    {"PCI-ECS-004", "ECS containers log", "10.2.1", "ECS.9", PG_SEV_MEDIUM, "aws_ecs_task_definition", pg_rule_ecs_logs,
     "logConfiguration with a logDriver in every container"},
    {"PCI-ECS-005", "ECS services get no public IP", "1.3.1", "ECS.2", PG_SEV_HIGH, "aws_ecs_service",
     pg_rule_ecs_public_ip, "network_configuration.assign_public_ip is not true"},
    {"PCI-ECS-006", "ECS Container Insights enabled", "10.2.1", "ECS.12", PG_SEV_LOW, "aws_ecs_cluster",
     pg_rule_ecs_insights, "setting containerInsights = enabled (or enhanced)"},
    {"PCI-SNS-001", "SNS topics encrypted with a customer managed KMS key", "3.5.1", "SNS.1", PG_SEV_MEDIUM,
     "aws_sns_topic", pg_rule_sns_kms, "kms_master_key_id naming a CMK (not alias/aws/sns)"},
    {"PCI-DDB-001", "DynamoDB point-in-time recovery", "10.5.1", "DynamoDB.2", PG_SEV_MEDIUM, "aws_dynamodb_table",
     pg_rule_dynamodb_pitr, "point_in_time_recovery.enabled true"},
    {"PCI-DDB-002", "DynamoDB encrypted with a customer managed KMS key", "3.5.1", NULL, PG_SEV_MEDIUM,
     "aws_dynamodb_table", pg_rule_dynamodb_kms, "server_side_encryption enabled with kms_key_arn naming a CMK"},
    {"PCI-SM-001", "Secrets Manager secrets encrypted with a customer managed KMS key", "3.5.1, 8.3.2", NULL,
     PG_SEV_HIGH, "aws_secretsmanager_secret", pg_rule_secret_kms, "kms_key_id naming a CMK"},
    {"PCI-CT-001", "CloudTrail multi-region, validated, encrypted, in CloudWatch Logs",
     "10.2.1, 10.3.2, 10.3.4", "CloudTrail.1, CloudTrail.2, CloudTrail.4, CloudTrail.5", PG_SEV_HIGH,
     "aws_cloudtrail", pg_rule_cloudtrail_settings,
     "is_multi_region_trail, enable_log_file_validation, kms_key_id naming a CMK, cloud_watch_logs_group_arn"},
    {"PCI-SEC-001", "No secrets written into the configuration", "3.5.1, 8.3.2, 8.6.2", NULL, PG_SEV_CRITICAL,
     "*", pg_rule_no_literal_secrets,
     "no argument named like password, secret_string, private_key, access_key, token holds a literal value"},
    {"PCI-TAG-001", "Resources carry the migration tags and a Name", "12.5.1", NULL, PG_SEV_LOW, "provider",
     pg_rule_tags_present,
     "every aws provider has default_tags Project, Environment, MigrationPhase, CutoverTimestamp, Suffix, "
     "ManagedBy; every taggable resource has tags.Name"},
    /* Deployability: what passes validation yet fails the plan or the first
     * apply, or applies to something other than what was meant. Mapped to the
     * change-control (6.5.1), least-privilege (7.2.2), monitoring (10.7.2)
     * and network (1.x) requirements they protect. */
    {"PG-DEPLOY-001", "No dependency cycle through references and depends_on", "6.5.1", NULL, PG_SEV_HIGH, "*",
     pg_rule_deploy_cycle,
     "the references (${...}), depends_on and replace_triggered_by between resources, data sources and locals "
     "form no cycle (a block referencing itself is one); Terraform refuses to plan one"},
    {"PG-DEPLOY-002", "Function packages and buckets are made by the output", "6.5.1", NULL, PG_SEV_HIGH, "*",
     pg_rule_deploy_packages,
     "a Lambda function or layer's filename is ${path.module}/functions/NAME.zip (beside the document when read "
     "from a directory), or its s3_bucket references an aws_s3_bucket and its s3_key an aws_s3_object of the "
     "stack; every s3_bucket argument references a bucket of the stack"},
    {"PG-DEPLOY-003", "Data sources and remote state feed something", "7.2.2", NULL, PG_SEV_LOW, "*",
     pg_rule_deploy_unused_data,
     "every data block (terraform_remote_state included) is referenced elsewhere in the stack; an unused read "
     "still needs its permissions and its object at every plan"},
    {"PG-DEPLOY-004", "No account-wide singleton in a per-environment stack", "6.5.1, 10.7.2", NULL, PG_SEV_HIGH,
     "*", pg_rule_deploy_singletons,
     "no ECR replication, scanning or registry policy, account password policy or alias, EBS default "
     "encryption or key, account S3 public access block, Security Hub or Macie account, GuardDuty detector, "
     "AWS Config recorder or delivery channel, API Gateway account, alternate contact or serial console access"},
    {"PG-DEPLOY-005", "Alarms watch metrics that can have data", "10.7.2", NULL, PG_SEV_MEDIUM,
     "aws_cloudwatch_metric_alarm", pg_rule_deploy_alarm_data,
     "an alarm on DBClusterIdentifier uses the cluster's provider (region), and Role=WRITER only on a cluster "
     "that is not a secondary of a global database"},
    {"PG-DEPLOY-006", "No internet route from private subnets", "1.3.1, 1.4.4", NULL, PG_SEV_HIGH,
     "aws_route aws_route_table aws_default_route_table aws_internet_gateway", pg_rule_deploy_private_routes,
     "no route to an aws_internet_gateway in a route table associated with a subnet named or tagged private, "
     "app or data (or the VPC's main table, for its subnets without a table); no internet gateway in a VPC "
     "whose subnets are all such"},
    {"PG-DEPLOY-007", "Security group references stay within connected VPCs of one region", "1.2.1", NULL,
     PG_SEV_HIGH,
     "aws_vpc_security_group_ingress_rule aws_vpc_security_group_egress_rule aws_security_group_rule "
     "aws_security_group",
     pg_rule_deploy_sg_reference,
     "a rule's group and the group it references have one provider and one VPC, or VPCs peered in the region "
     "or attached to one transit gateway with security_group_referencing_support enable"},
};

const pg_rule *pg_check_rules(size_t *count)
{
    *count = sizeof rules / sizeof *rules;
    return rules;
}
