/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules.h - the rule functions, one per guardrail, in check_rules_*.c
 * by family; check_rules.c assembles them into the rule table. */
#ifndef PG_CHECK_RULES_H
#define PG_CHECK_RULES_H

#include "check.h"

/* check_rules_data.c */
void pg_rule_s3_public_access(pg_check_ctx *c);
void pg_rule_s3_encryption(pg_check_ctx *c);
void pg_rule_s3_tls_only(pg_check_ctx *c);
void pg_rule_s3_versioning(pg_check_ctx *c);
void pg_rule_rds_encryption(pg_check_ctx *c);
void pg_rule_rds_force_ssl(pg_check_ctx *c);
void pg_rule_rds_deletion_protection(pg_check_ctx *c);
void pg_rule_rds_backup(pg_check_ctx *c);
void pg_rule_rds_not_public(pg_check_ctx *c);
void pg_rule_sns_kms(pg_check_ctx *c);
void pg_rule_dynamodb_pitr(pg_check_ctx *c);
void pg_rule_dynamodb_kms(pg_check_ctx *c);
void pg_rule_secret_kms(pg_check_ctx *c);

/* check_rules_iam.c */
void pg_rule_kms_rotation(pg_check_ctx *c);
void pg_rule_kms_policy(pg_check_ctx *c);
void pg_rule_iam_wildcard_action(pg_check_ctx *c);
void pg_rule_iam_wildcard_resource(pg_check_ctx *c);

/* check_rules_network.c */
void pg_rule_elb_tls_policy(pg_check_ctx *c);
void pg_rule_elb_http_redirect(pg_check_ctx *c);
void pg_rule_elb_drop_invalid_headers(pg_check_ctx *c);
void pg_rule_elb_access_logs(pg_check_ctx *c);
void pg_rule_elb_waf(pg_check_ctx *c);
void pg_rule_waf_logging(pg_check_ctx *c);
void pg_rule_open_ingress(pg_check_ctx *c);
void pg_rule_default_sg(pg_check_ctx *c);
void pg_rule_flow_logs(pg_check_ctx *c);
void pg_rule_tgw_auto_accept(pg_check_ctx *c);

/* check_rules_logging.c */
void pg_rule_cloudtrail_settings(pg_check_ctx *c);
void pg_rule_log_kms(pg_check_ctx *c);
void pg_rule_log_retention(pg_check_ctx *c);

/* check_rules_ecs.c */
void pg_rule_ecs_privileged(pg_check_ctx *c);
void pg_rule_ecs_readonly(pg_check_ctx *c);
void pg_rule_ecs_secrets(pg_check_ctx *c);
void pg_rule_ecs_logs(pg_check_ctx *c);
void pg_rule_ecs_public_ip(pg_check_ctx *c);
void pg_rule_ecs_insights(pg_check_ctx *c);

/* check_rules_stack.c */
void pg_rule_no_literal_secrets(pg_check_ctx *c);
void pg_rule_tags_present(pg_check_ctx *c);

/* check_rules_deploy*.c: what a plan or the first apply trips on */
void pg_rule_deploy_cycle(pg_check_ctx *c);
void pg_rule_deploy_unused_data(pg_check_ctx *c);
void pg_rule_deploy_packages(pg_check_ctx *c);
void pg_rule_deploy_singletons(pg_check_ctx *c);
void pg_rule_deploy_alarm_data(pg_check_ctx *c);
void pg_rule_deploy_private_routes(pg_check_ctx *c);
void pg_rule_deploy_sg_reference(pg_check_ctx *c);

#endif
