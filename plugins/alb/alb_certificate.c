/* SPDX-License-Identifier: Apache-2.0 */
/* alb_certificate.c - the HTTPS listeners' certificate, issued by ACM for the
 * API's name (zone.api_name) and validated by DNS in the zone plugin's hosted
 * zone, so a first plan needs nothing made by hand and ACM renews it on its
 * own for as long as the validation record stays in the zone ("Managed
 * certificate renewal", ACM User Guide).
 *
 * ACM certificates are regional and are not copied between regions: each
 * region's load balancer gets its own, validated on its own ("Supported
 * Regions", ACM User Guide). The listeners use the validation's
 * certificate_arn, so Terraform creates them only once ACM has issued it. */
#include "alb.h"

/* How long an apply waits for ACM. The provider's default (75 minutes,
 * internal/service/acm/certificate_validation.go), written out: it is ample
 * once the zone answers, and a longer wait only hides an undelegated zone
 * (docs/migration-runbook.md delegates it before the first full apply). */
#define VALIDATION_TIMEOUT "75m"

int alb_certificate(alb_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;

    cJSON *cert = pg_resource(out, r, "aws_acm_certificate", "api",
                              PG_STR("domain_name", s->api_name),
                              PG_STR("validation_method", "DNS"),
                              /* RSA 2048, ACM's default: "ECDSA is not supported by all
                               * network clients" (ACM API Reference, RequestCertificate,
                               * KeyAlgorithm), and a payment API's clients are many. */
                              PG_STR("key_algorithm", "RSA_2048"),
                              /* The default, written out: certificates that are not logged
                               * "typically generate a browser error" (ACM API Reference,
                               * CertificateOptions). */
                              PG_BLOCK("options",
                                       PG_STR("certificate_transparency_logging_preference",
                                              "ENABLED")),
                              /* A new name replaces the certificate: the listeners move to
                               * the new one before the old one goes (ACM refuses to delete
                               * a certificate in use). */
                              PG_CREATE_BEFORE_DESTROY,
                              PG_NAME("api"));

    /* The validation CNAME, in the zone, written with the default provider
     * like every Route 53 record (a global service) and labelled with the
     * region code: a rollback whose file has no secondary provider can still
     * delete it. The certificate has one name, so ACM asks for one record;
     * one() fails the plan should a second name ever come without its own.
     * No for_each over domain_validation_options: its keys must be known at
     * plan, which only the real provider manages (a mocked one leaves the set
     * unknown), while a value may wait for the apply.
     *
     * ACM asks every certificate of one name in one account for the same
     * record, whatever the region (terraform-provider-aws#13653): the second
     * region's record finds the first's, and allow_overwrite makes that an
     * update instead of a failure. Removing a region deletes the shared
     * record; the next plan of the regions left sees it gone and writes it
     * again, and ACM needs it only from 60 days before expiry ("Renewal for
     * domains validated by DNS", ACM User Guide). */
    const char *o = pg_printf(out, "one(%s.domain_validation_options)", pg_address(out, cert));
    cJSON *record = pg_resource(out, NULL, "aws_route53_record",
                                pg_printf(out, "certificate_validation_%s", r->code),
                                PG_STR("zone_id", s->zone_id),
                                PG_STR("name", pg_printf(out, "${%s.resource_record_name}", o)),
                                PG_STR("type", pg_printf(out, "${%s.resource_record_type}", o)),
                                PG_STRS("records", pg_printf(out, "${%s.resource_record_value}", o)),
                                PG_INT("ttl", 300),
                                PG_BOOL("allow_overwrite", true));

    cJSON *validation = pg_resource(out, r, "aws_acm_certificate_validation", "api",
                                    PG_REF("certificate_arn", cert, "arn"),
                                    PG_STRS("validation_record_fqdns",
                                            pg_ref(out, record, "fqdn")),
                                    PG_MAP("timeouts", PG_STR("create", VALIDATION_TIMEOUT)));
    s->certificate = pg_ref(out, validation, "certificate_arn");
    return 0;
}
